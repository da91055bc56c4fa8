-- Dossier language server for Neovim 0.11+: with this folder on
-- 'runtimepath', `vim.lsp.enable('dossier')` starts `dossier lsp --stdio`
-- on Markdown and plain-text buffers. `require('dossier').setup{}` layers
-- settings, commands and highlights on top of this.
return {
  cmd = { vim.g.dossier_server_path or 'dossier', 'lsp', '--stdio' },
  filetypes = { 'markdown', 'text' },
  root_markers = { 'dossier.toml', '.git' },
  -- Neovim answers the server's `workspace/configuration` for section
  -- "dossier" from here; an empty table means "the server's defaults".
  settings = { dossier = vim.empty_dict() },
  init_options = vim.empty_dict(),
}
