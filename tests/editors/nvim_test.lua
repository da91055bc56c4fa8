-- Real Neovim (0.11+) against the real `dossier lsp --stdio`, through the
-- plugin in editors/nvim: what a writer sees in a draft.
-- Usage: DOSSIER=target/release/dossier nvim --clean --headless -l tests/editors/nvim_test.lua
-- Prints `ok - name` / `not ok - name` per check, `time: …` lines and a JSON
-- line; exits 1 when a check fails.
local function out(line) -- stdout, one line each (print() under -l leaves the last unterminated)
  io.stdout:write(line, '\n')
end
local t_start = vim.uv.hrtime()
local function ms_since(t)
  return math.floor((vim.uv.hrtime() - t) / 1e6)
end
local here = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h')
local repo = vim.fn.fnamemodify(here .. '/../..', ':p'):gsub('/$', '')
local dossier = os.getenv('DOSSIER') or (repo .. '/target/release/dossier')
local seeds = repo .. '/seeds'

local result = { nvim = tostring(vim.version()), checks = {}, timings = {} }
local failed = 0
local function check(name, cond, detail)
  local ok = cond and true or false
  result.checks[name] = { ok = ok, detail = detail }
  if not ok then
    failed = failed + 1
  end
  local text = type(detail) == 'string' and detail or vim.inspect(detail, { newline = ' ', indent = '' })
  out(('%s - nvim: %s%s'):format(ok and 'ok' or 'not ok', name, ok and '' or ('  (' .. text:sub(1, 300) .. ')')))
end
local function finish()
  result.timings.total_ms = ms_since(t_start)
  out(vim.json.encode(result))
  for _, c in ipairs(vim.lsp.get_clients()) do
    c:stop(true)
  end
  vim.wait(1000, function()
    return #vim.lsp.get_clients() == 0
  end, 20)
  os.exit(failed == 0 and 0 or 1)
end

-- A scratch workspace holding a copy of the draft, so fixes don't touch the
-- fixture; the seeds are read from disk so definitions land in real files.
local ws = vim.fn.tempname()
vim.fn.mkdir(ws .. '/.git', 'p')
local draft = ws .. '/draft.md'
vim.fn.writefile(vim.fn.readfile(here .. '/fixtures/draft.md', 'b'), draft, 'b')
vim.fn.chdir(ws)

-- The plugin, as a user installs it: the folder on 'runtimepath'.
vim.opt.runtimepath:prepend(repo .. '/editors/nvim')
vim.cmd('runtime plugin/dossier.lua')
vim.cmd('filetype on') -- off under -l; vim.lsp.enable attaches on FileType
vim.o.swapfile = false
local dossier_mod = require('dossier')
dossier_mod.setup({
  server_path = dossier,
  settings = { corpus = { seeds }, includeDefaultCorpus = false },
})

-- 1. open the draft: the client attaches, diagnostics arrive.
local t_open = vim.uv.hrtime()
vim.cmd.edit(vim.fn.fnameescape(draft))
local buf = vim.api.nvim_get_current_buf()
local attached = vim.wait(10000, function()
  return #vim.lsp.get_clients({ bufnr = buf, name = 'dossier' }) > 0
end, 10)
result.timings.open_to_attach_ms = ms_since(t_open)
check('client attaches', attached, vim.bo[buf].filetype)
if not attached then
  finish()
end
local client = vim.lsp.get_clients({ bufnr = buf, name = 'dossier' })[1]
result.position_encoding = client.offset_encoding

local function dossier_diags()
  return vim.tbl_filter(function(d)
    return d.source == nil or tostring(d.source):lower():find('dossier', 1, true) ~= nil
  end, vim.diagnostic.get(buf))
end
local got_diags = vim.wait(30000, function()
  return #dossier_diags() > 0
end, 5)
result.timings.open_to_first_diagnostics_ms = got_diags and ms_since(t_open) or nil
out(('time: nvim open -> first diagnostics: %s ms'):format(
  got_diags and result.timings.open_to_first_diagnostics_ms or 'none'
))
result.first_codes = vim.tbl_map(function(d)
  return tostring(d.code)
end, dossier_diags())
-- The corpus may finish after the first check: a misquote needs the sources.
local has_misquote = vim.wait(15000, function()
  for _, d in ipairs(dossier_diags()) do
    if d.code == 'misquote' then
      return true
    end
  end
end, 5)
result.timings.open_to_corpus_finding_ms = has_misquote and ms_since(t_open) or nil
out(('time: nvim open -> first finding that needs the corpus (misquote): %s ms'):format(
  has_misquote and result.timings.open_to_corpus_finding_ms or 'none'
))
vim.wait(500, function()
  return false
end, 50)
local diags = dossier_diags()
result.diagnostics = vim.tbl_map(function(d)
  return { line = d.lnum + 1, col = d.col, code = d.code, severity = d.severity, message = d.message }
end, diags)
local known = {
  ['misquote'] = true,
  ['misattributed-quote'] = true,
  ['name-variant'] = true,
  ['unsourced-claim'] = true,
  ['vague-attribution'] = true,
  ['unknown-actor'] = true,
  ['unattributed-quote'] = true,
  ['quote-not-found'] = true,
}
local codes, known_codes = {}, 0
for _, d in ipairs(diags) do
  codes[#codes + 1] = tostring(d.code)
  if known[tostring(d.code)] then
    known_codes = known_codes + 1
  end
end
check('diagnostics with Dossier codes', #diags > 0 and known_codes == #diags, codes)

-- Hover through the real UI path (vim.lsp.buf.hover opens a float).
local function line_of(pattern)
  for i, l in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local col = l:find(pattern, 1, true)
    if col then
      return i, col - 1 -- 1-based row, 0-based byte column
    end
  end
end
local function close_floats()
  for _, w in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(w).relative ~= '' then
      pcall(vim.api.nvim_win_close, w, true)
    end
  end
end
local function hover_at(row, col)
  close_floats()
  vim.api.nvim_set_current_buf(buf)
  vim.api.nvim_win_set_cursor(0, { row, col })
  local t = vim.uv.hrtime()
  vim.lsp.buf.hover()
  local text
  vim.wait(5000, function()
    for _, w in ipairs(vim.api.nvim_list_wins()) do
      if vim.api.nvim_win_get_config(w).relative ~= '' then
        text = table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(w), 0, -1, false), '\n')
        return true
      end
    end
  end, 10)
  close_floats()
  return text, ms_since(t)
end

local SPEAKER, ROLE = 'Sean Spicer', 'White House Press Secretary'
-- 2. line 5 starts with the name (nothing but ASCII before it).
local row, col = line_of(SPEAKER .. ' said:')
local text, hover_ms = hover_at(row, col + 5)
result.timings.hover_ms = hover_ms
check('hover on a seed person shows the role', text and text:find(ROLE, 1, true) and text:find(SPEAKER, 1, true), text or 'no hover')
-- 3. line 3: curly quotes, ’ and accented letters come before the name.
row = line_of('Zoë Müller')
local l3 = vim.api.nvim_buf_get_lines(buf, row - 1, row, false)[1]
col = l3:find(SPEAKER, 1, true) - 1
text = hover_at(row, col + 5)
check('hover after non-ASCII on the line', text and text:find(ROLE, 1, true), text or 'no hover')

-- 4. go to definition on a quote: the seed opens at the quote.
row, col = line_of('We appreciate the relationship')
vim.api.nvim_win_set_cursor(0, { row, col + 10 })
vim.lsp.buf.definition()
local landed = vim.wait(5000, function()
  return vim.api.nvim_get_current_buf() ~= buf
end, 10)
local target_name = vim.api.nvim_buf_get_name(0)
local cursor = vim.api.nvim_win_get_cursor(0)
local target_line = vim.api.nvim_get_current_line()
check(
  'definition on a quote opens the seed at the quote',
  landed and target_name:find('004_6937bedc17dac110.txt', 1, true) and target_line:find('We appreciate the relationship', 1, true),
  { file = target_name, line = cursor[1], text = target_line:sub(1, 120) }
)
vim.api.nvim_set_current_buf(buf)

-- 5. a quick fix applies (misquote → the source wording; name variant →
-- the sources' spelling), through vim.lsp.buf.code_action.
local fixes = {
  { code = 'misquote', expect = 'everything that needed to be clarified with the friends in the U.S. was done' },
  { code = 'name-variant', expect = 'Sergey Lavrov' },
}
local applied, detail = false, 'no misquote or name-variant diagnostic'
for _, fix in ipairs(fixes) do
  local d
  for _, x in ipairs(dossier_diags()) do
    if x.code == fix.code then
      d = x
      break
    end
  end
  if d then
    vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col })
    local params = vim.lsp.util.make_range_params(0, client.offset_encoding)
    params.context = {
      diagnostics = { d.user_data and d.user_data.lsp or {} },
      only = { 'quickfix' },
    }
    local resp = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 5000) or {}
    local titles, chosen = {}, nil
    for _, r in pairs(resp) do
      for _, a in ipairs(r.result or {}) do
        titles[#titles + 1] = a.title
        if not chosen and a.edit and not a.title:lower():find('ignore', 1, true) then
          chosen = a.title
        end
      end
    end
    detail = { code = fix.code, titles = titles }
    if chosen then
      local before = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
      vim.lsp.buf.code_action({
        apply = true,
        context = { only = { 'quickfix' } },
        filter = function(a)
          return a.title == chosen
        end,
      })
      vim.wait(5000, function()
        return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n') ~= before
      end, 10)
      local after = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
      applied = after:find(fix.expect, 1, true) ~= nil and before:find(fix.expect, 1, true) == nil
      detail.chosen = chosen
      break
    end
  end
end
check('a code action applies', applied, detail)

-- 6. settings reach the running server: silence one rule, its findings go.
local first = dossier_diags()[1]
if first and first.code then
  local silenced = tostring(first.code)
  dossier_mod.update_settings({ rules = { [silenced] = 'off' } })
  local gone = vim.wait(10000, function()
    for _, d in ipairs(dossier_diags()) do
      if tostring(d.code) == silenced then
        return false
      end
    end
    return true
  end, 20)
  check('settings change without restart (rule off)', gone, silenced)
  dossier_mod.update_settings({ rules = { [silenced] = 'warning' } })
else
  check('settings change without restart (rule off)', false, 'no diagnostic to silence')
end

-- 7. the status line reports the corpus size once read.
vim.wait(5000, function()
  return dossier_mod.status():find('%d') ~= nil
end, 20)
check('statusline shows the corpus size', dossier_mod.status():match('^Dossier: .*%d'), dossier_mod.status())

-- 8. :DossierCorpus's summary, read the way the server reads the corpus.
local corpus, err
dossier_mod.load_corpus(function(c, e)
  corpus, err = c, e
end)
vim.wait(15000, function()
  return corpus ~= nil or err ~= nil
end, 20)
local summary = corpus and table.concat(dossier_mod.summary_lines(corpus), '\n') or err
check('corpus summary lists the five seed documents', corpus and summary:find('- 5 documents', 1, true) and summary:find('004_6937bedc17dac110', 1, true), summary)

-- 9. :DossierOpenSource opens a seed article by id prefix.
vim.api.nvim_set_current_buf(buf)
vim.cmd('DossierOpenSource 004')
vim.wait(15000, function()
  return vim.api.nvim_buf_get_name(0):find('004_6937bedc17dac110.txt', 1, true) ~= nil
end, 20)
check(':DossierOpenSource opens the seed article', vim.api.nvim_buf_get_name(0):find('004_6937bedc17dac110.txt', 1, true), vim.api.nvim_buf_get_name(0))
vim.api.nvim_set_current_buf(buf)

-- 10. :DossierRestart: a new server serves the draft, diagnostics return.
local old_id = client.id
vim.cmd('DossierRestart')
local restarted = vim.wait(15000, function()
  local c = vim.lsp.get_clients({ bufnr = buf, name = 'dossier' })[1]
  if c == nil or c.id == old_id then
    return false
  end
  -- Published by the new server (each client has its own namespace).
  local ns = vim.lsp.diagnostic.get_namespace(c.id)
  return #vim.diagnostic.get(buf, { namespace = ns }) > 0
end, 20)
local old_alive = vim.lsp.get_client_by_id(old_id)
check(':DossierRestart brings a new server with diagnostics', restarted and (old_alive == nil or old_alive:is_stopped()), #dossier_diags())

finish()
