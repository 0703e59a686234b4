-- Headless end-to-end run of neovim/lua/marginalia (the pre-0.11 module) against the real server.
-- Driven by tests/test_neovim_e2e.py through environment variables; writes its
-- observations to MARGINALIA_OUT as JSON and always quits, even on failure.
local env = vim.env
local out_path = env.MARGINALIA_OUT
local result = { ok = false }

local function finish()
  vim.fn.writefile({ vim.fn.json_encode(result) }, out_path)
  vim.cmd("qall!")
end

local function diagnostics_of(bufnr)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = (d.user_data or {}).lsp or {}
    table.insert(list, {
      lnum = d.lnum,
      col = d.col,
      end_lnum = d.end_lnum,
      end_col = d.end_col,
      code = lsp.code or d.code,
      message = d.message,
    })
  end
  return list
end

local function count_code(bufnr, code)
  local n = 0
  for _, d in ipairs(diagnostics_of(bufnr)) do
    if d.code == code then
      n = n + 1
    end
  end
  return n
end

local function run()
  local timeout = tonumber(env.MARGINALIA_TIMEOUT_MS or "60000")
  vim.opt.runtimepath:prepend(env.MARGINALIA_RUNTIME)
  -- Neovim switches filetype detection on after the init file; this one opens a file itself.
  vim.cmd("filetype on")
  local marginalia = require("marginalia")
  marginalia.setup({ cmd = { env.MARGINALIA_PYTHON, "-m", "lsp_server" } })
  vim.cmd("edit " .. vim.fn.fnameescape(env.MARGINALIA_FILE))
  local bufnr = vim.api.nvim_get_current_buf()
  result.filetype = vim.bo[bufnr].filetype

  local spelling = "spelling.misspelled"
  if not vim.wait(timeout, function() return count_code(bufnr, spelling) > 0 end, 50) then
    result.error = "no spelling diagnostics within " .. timeout .. " ms"
    return
  end
  result.before = diagnostics_of(bufnr)

  -- The first misspelling in document order, and its quick fixes.
  local first
  for _, d in ipairs(result.before) do
    if d.code == spelling and (first == nil or d.lnum < first.lnum or (d.lnum == first.lnum and d.col < first.col)) then
      first = d
    end
  end
  local client = vim.lsp.get_active_clients({ name = "marginalia" })[1]
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(bufnr),
    range = {
      start = { line = first.lnum, character = first.col },
      ["end"] = { line = first.end_lnum, character = first.end_col },
    },
    context = { diagnostics = {}, only = { "quickfix" } },
  }
  local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/codeAction", params, timeout)
  local actions = {}
  for _, response in pairs(responses or {}) do
    for _, action in ipairs(response.result or {}) do
      table.insert(actions, action)
    end
  end
  result.action_titles = vim.tbl_map(function(a) return a.title end, actions)
  local chosen
  for _, action in ipairs(actions) do
    if action.edit and action.isPreferred then
      chosen = action
      break
    end
  end
  if chosen == nil then
    result.error = "no preferred quick fix with an edit"
    return
  end
  result.applied = chosen.title
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)

  -- The edit reaches the server as didChange; the fixed word must stop being reported.
  local expected = count_code(bufnr, spelling) - 1
  vim.wait(timeout, function() return count_code(bufnr, spelling) == expected end, 50)
  result.after = diagnostics_of(bufnr)
  vim.fn.writefile(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), env.MARGINALIA_TEXT_OUT)
  result.ok = true
end

local ok, err = pcall(run)
if not ok then
  result.error = tostring(err)
end
finish()
