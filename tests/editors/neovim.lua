-- Drives Neovim's own LSP client against `powerwords lsp` and writes what the editor saw as JSON,
-- for tests/test_editor_neovim.py to check. Neovim starts with the README's Neovim 0.7 snippet
-- as its init file (vim.lsp.start_client and buf_attach_client from a FileType autocmd;
-- vim.lsp.start arrived in 0.8), and the steps go through what a user reaches: the diagnostics
-- Neovim stores, vim.lsp.buf.hover's floating window, <C-x><C-o> with the omnifunc the snippet
-- sets, and vim.lsp.buf.code_action with vim.ui.select answered by the script.
--
-- Environment: POWERWORDS_DOC (the Markdown file to open), POWERWORDS_RESULT (where to write the
-- JSON), POWERWORDS_TYPED_LINE (a line to type at the end), POWERWORDS_COMPILE_ONLY (a JSON list
-- of other Lua snippets to compile, not run: the README's snippets for newer Neovims).
-- The steps run in a coroutine that a timer resumes, so Neovim's main loop keeps running between
-- them: keys fed to insert mode (the omnifunc) are only processed there, never inside vim.wait.
-- Every step is guarded, and the script always quits: an error in `-c luafile` would otherwise
-- leave a headless Neovim waiting for input.

local TIMEOUT_MS = 10000
local result = { steps = {}, ms = {} }

--- Yield to Neovim's main loop until cond() is true, or fail naming what we waited for.
local function wait_for(what, cond)
  local deadline = vim.loop.now() + TIMEOUT_MS
  while not cond() do
    if vim.loop.now() > deadline then
      error('timed out after ' .. TIMEOUT_MS .. ' ms waiting for ' .. what, 0)
    end
    coroutine.yield()
  end
end

local function feed(keys)
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes(keys, true, false, true), 'n', false)
end

--- Run one named step; keep its return value, or its error, in the result.
--- Write what was seen so far: if the test's hard timeout kills Neovim, the steps that ran stay
--- on record.
local function write_result()
  local ok, err = pcall(function()
    local f = assert(io.open(os.getenv('POWERWORDS_RESULT'), 'w'))
    f:write(vim.fn.json_encode(result))
    f:close()
  end)
  if not ok then
    io.stderr:write('cannot write the result: ' .. tostring(err) .. '\n')
  end
end

local function step(name, fn)
  table.insert(result.steps, name)
  local started = vim.loop.hrtime()
  local ok, value = pcall(fn)
  result.ms[name] = math.floor((vim.loop.hrtime() - started) / 1e6)
  if ok then
    result[name] = value
  else
    result[name] = { error = tostring(value) }
  end
  write_result()
  return ok
end

--- The 0-based line number and 0-based byte column of `needle` in the buffer.
local function find(bufnr, needle)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    local col = line:find(needle, 1, true)
    if col then
      return i - 1, col - 1
    end
  end
  error('text not in buffer: ' .. needle, 0)
end

local function line_text(bufnr, lnum)
  return vim.api.nvim_buf_get_lines(bufnr, lnum, lnum + 1, false)[1]
end

local function floating_windows()
  local wins = {}
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= '' then
      table.insert(wins, win)
    end
  end
  return wins
end

local bufnr, client_id, client

step('compile_only', function()
  local compiled = {}
  for _, path in ipairs(vim.fn.json_decode(os.getenv('POWERWORDS_COMPILE_ONLY') or '[]')) do
    local chunk, err = loadfile(path)
    if not chunk then
      error(err, 0)
    end
    table.insert(compiled, path)
  end
  return compiled
end)

local function run()
  local doc = os.getenv('POWERWORDS_DOC')

  step('start', function()
    -- Opening the file fires FileType, and the README snippet starts and attaches the client.
    vim.cmd('edit ' .. vim.fn.fnameescape(doc))
    bufnr = vim.api.nvim_get_current_buf()
    wait_for('a client attached by the init file', function()
      for id, c in pairs(vim.lsp.buf_get_clients(bufnr)) do
        if c.initialized then
          client_id, client = id, c
          return true
        end
      end
      return false
    end)
    local caps = client.server_capabilities or client.resolved_capabilities or {}
    return {
      nvim = vim.version(),
      client_name = client.name,
      filetype = vim.bo[bufnr].filetype,
      omnifunc = vim.bo[bufnr].omnifunc,
      offset_encoding = client.offset_encoding,
      hover = caps.hoverProvider or false,
      completion = caps.completionProvider ~= nil,
      code_action = caps.codeActionProvider ~= nil and caps.codeActionProvider ~= false,
    }
  end)

  step('diagnostics', function()
    wait_for('published diagnostics', function()
      return #vim.diagnostic.get(bufnr) > 0
    end)
    local out = {}
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      table.insert(out, {
        code = d.code, source = d.source, severity = d.severity, message = d.message,
        lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      })
    end
    return out
  end)

  step('hover', function()
    -- Two emoji before the word take 8 bytes, 4 UTF-16 units and 2 code points: hovering its
    -- first and its last letter only both land on it if Neovim and the server agree on the
    -- position encoding.
    local lnum, col = find(bufnr, 'hallucinated')
    local seen = {}
    for _, at in ipairs({ col, col + #'hallucinated' - 1 }) do
      vim.api.nvim_win_set_cursor(0, { lnum + 1, at })
      local main_win = vim.api.nvim_get_current_win()
      vim.lsp.buf.hover()
      wait_for('the hover window at byte column ' .. at, function()
        return #floating_windows() > 0
      end)
      local win = floating_windows()[1]
      table.insert(seen, vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(win), 0, -1, false))
      vim.api.nvim_win_close(win, true)
      vim.api.nvim_set_current_win(main_win)
    end
    return { first_letter = seen[1], last_letter = seen[2] }
  end)

  step('completion', function()
    -- Type <C-x><C-o> at the end of "Next we fine-tu" (the omnifunc is the one the README
    -- snippet sets), pick the item the way the popup menu does, and leave insert mode.
    local lnum = find(bufnr, 'Next we fine-tu')
    vim.api.nvim_win_set_cursor(0, { lnum + 1, 0 })
    feed('A<C-x><C-o>')
    local ok, err = pcall(wait_for, 'completion items', function()
      return vim.fn.mode() == 'i' and #vim.fn.complete_info({ 'items' }).items > 0
    end)
    if not ok then
      feed('<Esc>')
      error(err, 0)
    end
    local words = {}
    local pick
    for i, item in ipairs(vim.fn.complete_info({ 'items' }).items) do
      table.insert(words, item.word)
      if item.word == 'fine-tuning' and not pick then
        pick = i - 1
      end
    end
    if not pick then
      feed('<Esc>')
      error('no "fine-tuning" among the completion items ' .. vim.inspect(words), 0)
    end
    vim.api.nvim_select_popupmenu_item(pick, true, true, {})
    feed('<Esc>')
    wait_for('normal mode', function()
      return vim.fn.mode() == 'n'
    end)
    return { words = words, line_after = line_text(bufnr, lnum) }
  end)

  step('code_action', function()
    local lnum, col = find(bufnr, 'During inference')
    vim.api.nvim_win_set_cursor(0, { lnum + 1, col + #'During ' })
    local titles
    local original_select = vim.ui.select
    -- vim.ui.select is the hook Neovim offers for picking an action: answer it like a user would.
    local pick
    vim.ui.select = function(items, opts, on_choice)
      titles = {}
      for i, item in ipairs(items) do
        local title = opts.format_item and opts.format_item(item) or tostring(item)
        table.insert(titles, title)
        if title == "Replace with 'training'" and not pick then
          pick = i
        end
      end
      on_choice(pick and items[pick] or nil, pick)
    end
    local before = line_text(bufnr, lnum)
    local ok, err = pcall(function()
      vim.lsp.buf.code_action()
      wait_for('the code action list', function()
        return titles ~= nil
      end)
      if not pick then
        error("no \"Replace with 'training'\" action", 0)
      end
      wait_for('the quick fix edit', function()
        return line_text(bufnr, lnum) ~= before
      end)
    end)
    vim.ui.select = original_select
    if not ok then
      error(tostring(err) .. ' (titles: ' .. vim.inspect(titles) .. ')', 0)
    end
    return { titles = titles, line_after = line_text(bufnr, lnum) }
  end)

  step('typing', function()
    -- Type a new misuse at the end. The edits so far went to the server as didChange too: once
    -- the new line's diagnostic arrives, the set reflects the whole edited text.
    vim.api.nvim_buf_set_lines(bufnr, -1, -1, false, { '', os.getenv('POWERWORDS_TYPED_LINE') })
    local lnum = vim.api.nvim_buf_line_count(bufnr) - 1
    wait_for('a diagnostic on the typed line', function()
      return #vim.diagnostic.get(bufnr, { lnum = lnum }) > 0
    end)
    local seen = {}
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      table.insert(seen, { code = d.code, lnum = d.lnum, col = d.col })
    end
    local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
    return { text = table.concat(lines, '\n') .. '\n', diagnostics = seen }
  end)
end

--- Stop the server politely (shutdown, exit), write the result, and quit.
local function finish()
  pcall(function()
    if client_id then
      vim.lsp.stop_client(client_id)
      vim.wait(3000, function()
        return vim.lsp.client_is_stopped(client_id)
      end, 50)
    end
  end)
  pcall(function()
    -- Neovim logs what the server writes to stderr (at ERROR level, always on).
    local f = assert(io.open(vim.lsp.get_log_path(), 'r'))
    result.lsp_log = f:read('*a')
    f:close()
  end)
  write_result()
  vim.cmd('qall!')
end

local co = coroutine.create(run)
local timer = vim.loop.new_timer()
timer:start(0, 20, vim.schedule_wrap(function()
  if coroutine.status(co) == 'dead' then
    return
  end
  local ok, err = coroutine.resume(co)
  if not ok then
    result.error = tostring(err)
  end
  if coroutine.status(co) == 'dead' then
    timer:stop()
    finish()
  end
end))
