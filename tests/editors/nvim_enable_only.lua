-- The bare route: editors/nvim on 'runtimepath', `dossier` on PATH, and
-- only `vim.lsp.enable('dossier')` (lsp/dossier.lua supplies the rest).
-- Usage: PATH=target/release:$PATH nvim --clean --headless -l tests/editors/nvim_enable_only.lua
local function out(line) -- stdout, one line each (print() under -l leaves the last unterminated)
  io.stdout:write(line, '\n')
end
local here = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h')
local repo = vim.fn.fnamemodify(here .. '/../..', ':p'):gsub('/$', '')
vim.opt.runtimepath:prepend(repo .. '/editors/nvim')
vim.cmd('filetype on')
vim.lsp.enable('dossier')
local draft = vim.fn.tempname() .. '.md'
vim.fn.writefile(vim.fn.readfile(here .. '/fixtures/draft.md', 'b'), draft, 'b')
vim.cmd.edit(draft)
local buf = vim.api.nvim_get_current_buf()
local ok = vim.wait(15000, function()
  return #vim.diagnostic.get(buf) > 0
end, 20)
local client = vim.lsp.get_clients({ bufnr = buf, name = 'dossier' })[1]
ok = ok and client ~= nil and client.config.cmd[1] == 'dossier'
out(('%s - nvim: vim.lsp.enable(\'dossier\') alone attaches and checks'):format(ok and 'ok' or 'not ok'))
for _, c in ipairs(vim.lsp.get_clients()) do
  c:stop(true)
end
os.exit(ok and 0 or 1)
