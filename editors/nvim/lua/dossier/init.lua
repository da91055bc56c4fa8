-- Dossier for Neovim 0.11+: settings, commands, highlights and a statusline
-- component around the `dossier` language server (see ../../lsp/dossier.lua
-- for the bare `vim.lsp.enable('dossier')` route).
--
--   require('dossier').setup {
--     server_path = nil,            -- default: 'dossier' on $PATH
--     settings = {                  -- the server's own keys (camelCase)
--       corpus = { 'sources' },     -- folders of source articles
--       includeDefaultCorpus = true,
--       rules = { ['vague-attribution'] = 'off' },
--       inlayHints = false,
--     },
--   }
local M = {}

local NAME = 'dossier'

M.defaults = {
  -- Path to the `dossier` binary; falls back to vim.g.dossier_server_path,
  -- then `dossier` on $PATH.
  server_path = nil,
  -- Full command, when more than the path needs changing.
  cmd = nil,
  filetypes = { 'markdown', 'text' },
  -- Sent as initializationOptions and answered to workspace/configuration.
  -- Keys: corpus, includeDefaultCorpus, rules, languages, inlayHints,
  -- attributionStyle, claimAttribution (see `dossier.toml` in editors/README.md).
  settings = {},
  -- Call vim.lsp.enable('dossier') from setup().
  enable = true,
}

local options = vim.deepcopy(M.defaults)

-- Corpus state for the statusline, fed by the server's $/progress.
local status = { text = '', busy = false }

local function server_cmd()
  if options.cmd then
    return options.cmd
  end
  local path = options.server_path or vim.g.dossier_server_path or NAME
  return { vim.fn.expand(path), 'lsp', '--stdio' }
end

-- Settings as JSON wants them: an empty Lua table must go out as {} not [].
local function settings_value()
  if vim.tbl_isempty(options.settings) then
    return vim.empty_dict()
  end
  return options.settings
end

local function clients()
  return vim.lsp.get_clients({ name = NAME })
end

--- Whether the server binary can be started; tells the user the fix if not.
function M.check_binary()
  local exe = server_cmd()[1]
  if vim.fn.executable(exe) == 1 then
    return true
  end
  vim.notify(
    ('Dossier: cannot find the language server %q. Build it with `cargo build --release` '
      .. 'and put target/release/dossier on $PATH, or set '
      .. "require('dossier').setup{ server_path = '/path/to/dossier' }."):format(exe),
    vim.log.levels.ERROR
  )
  return false
end

function M.setup(opts)
  options = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), opts or {})
  vim.lsp.config(NAME, {
    cmd = server_cmd(),
    filetypes = options.filetypes,
    root_markers = { 'dossier.toml', '.git' },
    settings = { dossier = settings_value() },
    init_options = settings_value(),
  })
  M.define_highlights()
  M.define_commands()
  if options.enable and M.check_binary() then
    vim.lsp.enable(NAME)
  end
end

--- Changes settings of the running server without a restart.
function M.update_settings(settings)
  options.settings = vim.tbl_deep_extend('force', options.settings, settings or {})
  vim.lsp.config(NAME, { settings = { dossier = settings_value() }, init_options = settings_value() })
  for _, client in ipairs(clients()) do
    client.settings = { dossier = settings_value() }
    client:notify('workspace/didChangeConfiguration', { settings = client.settings })
  end
end

-- Semantic token types the server sends, linked to groups every colour
-- scheme defines so they read well on light and dark backgrounds.
M.highlight_links = {
  ['@lsp.type.person'] = 'Function',
  ['@lsp.type.agency'] = 'Type',
  ['@lsp.type.outlet'] = 'Constant',
  ['@lsp.type.place'] = 'Label',
  ['@lsp.type.quote'] = 'String',
}

function M.define_highlights()
  for group, target in pairs(M.highlight_links) do
    -- default = true: a colour scheme or the user's own links win.
    vim.api.nvim_set_hl(0, group, { link = target, default = true })
  end
end

--- Restarts every running Dossier server on the buffers it served.
function M.restart()
  local running = clients()
  if #running == 0 then
    if M.check_binary() then
      vim.lsp.enable(NAME)
      vim.cmd('doautoall nvim.lsp.enable FileType')
    end
    return
  end
  for _, client in ipairs(running) do
    local bufs = vim.tbl_keys(client.attached_buffers)
    local config = client.config
    client:stop()
    local timer = assert(vim.uv.new_timer())
    local waited = 0
    timer:start(50, 50, vim.schedule_wrap(function()
      waited = waited + 50
      if not client:is_stopped() and waited < 3000 then
        return
      end
      timer:stop()
      timer:close()
      if not client:is_stopped() then
        client:stop(true)
      end
      for _, buf in ipairs(bufs) do
        if vim.api.nvim_buf_is_loaded(buf) then
          vim.lsp.start(config, { bufnr = buf })
        end
      end
    end))
  end
end

-- The workspace root of a running server, else the current directory.
local function root_dir()
  local client = clients()[1]
  return (client and client.config.root_dir) or vim.fn.getcwd()
end

--- The arguments `dossier corpus --json` needs to read what the server
--- reads. The server has no request for the corpus summary, so this runs the
--- same binary with the editor's settings (dossier.toml is not read by the
--- command line).
function M.corpus_command()
  local cmd = { server_cmd()[1], 'corpus', '--json' }
  local root = root_dir()
  for _, dir in ipairs(options.settings.corpus or {}) do
    dir = vim.fn.expand(dir)
    if not dir:match('^/') then
      dir = root .. '/' .. dir
    end
    vim.list_extend(cmd, { '--corpus', dir })
  end
  if options.settings.includeDefaultCorpus == false then
    table.insert(cmd, '--no-default-corpus')
  end
  return cmd
end

--- Reads the corpus as the server would. Calls `on_done(corpus, err)`.
function M.load_corpus(on_done)
  vim.system(M.corpus_command(), { text = true }, vim.schedule_wrap(function(out)
    if out.code ~= 0 then
      return on_done(nil, vim.trim(out.stderr or '') ~= '' and out.stderr or ('exit ' .. out.code))
    end
    local ok, corpus = pcall(vim.json.decode, out.stdout, { luanil = { object = true, array = true } })
    if not ok then
      return on_done(nil, 'unreadable output from `dossier corpus --json`')
    end
    on_done(corpus)
  end))
end

--- Summary lines: documents, entities by kind, quotes, skipped files.
function M.summary_lines(corpus)
  local kinds, order = {}, {}
  for _, e in ipairs(corpus.entities or {}) do
    if not kinds[e.kind] then
      kinds[e.kind] = 0
      table.insert(order, e.kind)
    end
    kinds[e.kind] = kinds[e.kind] + 1
  end
  table.sort(order)
  local by_kind = {}
  for _, k in ipairs(order) do
    table.insert(by_kind, ('%d %s'):format(kinds[k], k))
  end
  local lines = {
    '# Dossier corpus',
    '',
    ('- %d documents'):format(#(corpus.documents or {})),
    ('- %d entities (%s)'):format(#(corpus.entities or {}), table.concat(by_kind, ', ')),
    ('- %d quotes'):format(#(corpus.quotes or {})),
    ('- %d skipped files'):format(#(corpus.skipped or {})),
    '',
    '## Documents',
  }
  for _, d in ipairs(corpus.documents or {}) do
    table.insert(lines, ('- %s — %s (%s)'):format(d.id, d.title or '?', d.path or ''))
  end
  if #(corpus.skipped or {}) > 0 then
    vim.list_extend(lines, { '', '## Skipped' })
    for _, s in ipairs(corpus.skipped) do
      table.insert(lines, ('- %s: %s'):format(s.path or '?', s.reason or ''))
    end
  end
  return lines
end

--- :DossierCorpus — the corpus summary in a scratch buffer.
function M.show_corpus()
  M.load_corpus(function(corpus, err)
    if not corpus then
      return vim.notify('Dossier: could not read the corpus: ' .. err, vim.log.levels.ERROR)
    end
    vim.cmd('new')
    local buf = vim.api.nvim_get_current_buf()
    vim.bo[buf].buftype = 'nofile'
    vim.bo[buf].bufhidden = 'wipe'
    vim.bo[buf].swapfile = false
    vim.api.nvim_buf_set_lines(buf, 0, -1, false, M.summary_lines(corpus))
    vim.bo[buf].modifiable = false
    vim.bo[buf].filetype = 'markdown'
    pcall(vim.api.nvim_buf_set_name, buf, 'dossier://corpus')
  end)
end

-- A document's file on disk: absolute paths as they are, relative ones (the
-- built-in articles) under the workspace root if they exist there.
local function document_file(doc)
  local path = doc.path or ''
  if path:match('^/') then
    return path
  end
  for _, base in ipairs({ root_dir(), vim.fn.getcwd() }) do
    local full = base .. '/' .. path
    if vim.uv.fs_stat(full) then
      return full
    end
  end
  return nil
end

--- :DossierOpenSource [id] — opens a source article (pick one without id).
function M.open_source(id)
  M.load_corpus(function(corpus, err)
    if not corpus then
      return vim.notify('Dossier: could not read the corpus: ' .. err, vim.log.levels.ERROR)
    end
    local function open(doc)
      if not doc then
        return
      end
      local file = document_file(doc)
      if not file then
        return vim.notify(
          ('Dossier: %s is built into dossier and has no file here; add its folder to `corpus`.')
            :format(doc.id),
          vim.log.levels.WARN
        )
      end
      vim.cmd.edit(vim.fn.fnameescape(file))
    end
    local docs = corpus.documents or {}
    if id and id ~= '' then
      for _, d in ipairs(docs) do
        if d.id == id or d.id:sub(1, #id) == id then
          return open(d)
        end
      end
      return vim.notify('Dossier: no source ' .. id, vim.log.levels.WARN)
    end
    vim.ui.select(docs, {
      prompt = 'Source article',
      format_item = function(d)
        return ('%s · %s%s'):format(d.id, d.title or '?', d.outlet and (' · ' .. d.outlet) or '')
      end,
    }, open)
  end)
end

--- Statusline text: the indexing state, then the corpus size.
function M.status()
  return status.text
end

local commands_defined = false
function M.define_commands()
  if commands_defined then
    return
  end
  commands_defined = true
  vim.api.nvim_create_user_command('DossierRestart', M.restart, { desc = 'Restart the Dossier server' })
  vim.api.nvim_create_user_command('DossierCorpus', M.show_corpus, { desc = 'Show the Dossier corpus summary' })
  vim.api.nvim_create_user_command('DossierOpenSource', function(a)
    M.open_source(a.args)
  end, { nargs = '?', desc = 'Open a Dossier source article' })
  vim.api.nvim_create_autocmd('LspProgress', {
    group = vim.api.nvim_create_augroup('dossier.status', { clear = true }),
    callback = function(ev)
      local client = vim.lsp.get_client_by_id(ev.data.client_id)
      local value = ev.data.params and ev.data.params.value
      if not client or client.name ~= NAME or type(value) ~= 'table' then
        return
      end
      if value.kind == 'end' then
        status.busy = false
        status.text = 'Dossier: ' .. (value.message or 'ready')
      else
        status.busy = true
        status.text = ('Dossier: reading sources %d%%'):format(value.percentage or 0)
      end
      vim.cmd('redrawstatus')
    end,
  })
end

return M
