-- Loaded from 'runtimepath': user commands and default highlight links, so
-- they exist even for users who only call `vim.lsp.enable('dossier')`.
if vim.g.loaded_dossier then
  return
end
vim.g.loaded_dossier = true

require('dossier').define_highlights()
require('dossier').define_commands()
