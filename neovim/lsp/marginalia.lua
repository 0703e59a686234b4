-- Marginalia for Neovim 0.11+: this file is found on 'runtimepath' by vim.lsp.config.
--
--   vim.lsp.enable("marginalia")
--
-- Override any field with vim.lsp.config("marginalia", { ... }), e.g. a different
-- cmd or settings = { marginalia = { language = "en-GB" } }.

---@type vim.lsp.Config
return {
  cmd = { "marginalia", "serve", "--stdio" },
  filetypes = { "tex", "plaintex", "markdown", "quarto", "rmd" },
  -- The workspace root holds .marginalia.toml (rules, dictionary); fall back to git.
  root_markers = { ".marginalia.toml", "pyproject.toml", ".git" },
  -- The server reads its settings from the "marginalia" section (workspace/configuration).
  settings = { marginalia = {} },
  -- Settings sent once at start-up too, for servers started before a workspace/configuration.
  init_options = { marginalia = {} },
}
