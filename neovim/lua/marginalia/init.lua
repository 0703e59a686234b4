-- Marginalia for Neovim 0.7 to 0.10 (vim.lsp.start_client); 0.11+ can use lsp/marginalia.lua.
--
--   require("marginalia").setup({ settings = { language = "en-GB" } })
--
-- One client serves every prose buffer below the same root; a buffer outside any
-- root gets a client of its own folder.
local M = {}

M.defaults = {
  cmd = { "marginalia", "serve", "--stdio" },
  filetypes = { "tex", "plaintex", "markdown", "quarto", "rmd" },
  root_markers = { ".marginalia.toml", "pyproject.toml", ".git" },
  settings = {}, -- the "marginalia" section: see docs/configuration.md
  on_attach = nil, -- function(client, bufnr), as for any LSP client
  capabilities = nil, -- merged over vim.lsp.protocol.make_client_capabilities()
}

-- root -> client id
M.clients = {}

--- The nearest folder above `path` that holds one of `markers`, else the file's own folder.
---@param path string
---@param markers string[]
---@return string
function M.find_root(path, markers)
  local dir = vim.fn.fnamemodify(path, ":p:h")
  local current = dir
  while true do
    for _, marker in ipairs(markers) do
      if vim.loop.fs_stat(current .. "/" .. marker) then
        return current
      end
    end
    local parent = vim.fn.fnamemodify(current, ":h")
    if parent == current then
      return dir
    end
    current = parent
  end
end

local function client_is_alive(id)
  local client = vim.lsp.get_client_by_id(id)
  return client ~= nil and not client.is_stopped()
end

--- Start (or reuse) the client for `bufnr` and attach the buffer to it.
---@param bufnr integer
---@param opts table
---@return integer|nil client id
function M.attach(bufnr, opts)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == "" then
    return nil -- an unnamed buffer has no file URI to check
  end
  local root = M.find_root(name, opts.root_markers)
  local id = M.clients[root]
  if id == nil or not client_is_alive(id) then
    if vim.fn.executable(opts.cmd[1]) ~= 1 then
      vim.notify(
        "Marginalia: cannot run " .. opts.cmd[1] .. "; install it with `pipx install marginalia` "
          .. "or set cmd in require('marginalia').setup()",
        vim.log.levels.ERROR
      )
      return nil
    end
    local capabilities = vim.lsp.protocol.make_client_capabilities()
    if opts.capabilities then
      capabilities = vim.tbl_deep_extend("force", capabilities, opts.capabilities)
    end
    id = vim.lsp.start_client({
      name = "marginalia",
      cmd = opts.cmd,
      root_dir = root,
      workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
      capabilities = capabilities,
      init_options = { marginalia = opts.settings },
      settings = { marginalia = opts.settings },
      on_attach = opts.on_attach,
    })
    if id == nil then
      return nil
    end
    M.clients[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

--- Attach Marginalia to every buffer of `opts.filetypes`, now and later.
---@param user table|nil overrides of M.defaults
function M.setup(user)
  local opts = vim.tbl_deep_extend("force", {}, M.defaults, user or {})
  local group = vim.api.nvim_create_augroup("marginalia", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = opts.filetypes,
    callback = function(args)
      M.attach(args.buf, opts)
    end,
  })
  -- Buffers opened before setup() ran.
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(opts.filetypes, vim.bo[bufnr].filetype) then
      M.attach(bufnr, opts)
    end
  end
  return opts
end

return M
