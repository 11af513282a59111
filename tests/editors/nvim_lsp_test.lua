-- A real editor client for riskoff-lsp: Neovim's built-in LSP client, headless. Opens a rule
-- file with a misspelt name, waits for the diagnostic, hovers, applies the quick fix, renames a
-- parameter and formats, then sets a snapshot and reads a hover's margin and a profile's
-- "evaluate" lens, checking each answer; exits non-zero on the first failure.
--   RISKOFF_LSP=build/dev/cli/riskoff-lsp RISKOFF_LSP_FILE=tests/editors/session.rules \
--     nvim --headless --clean -n -c 'luafile tests/editors/nvim_lsp_test.lua'
-- Written for Neovim 0.7 (Debian 12): vim.lsp.start_client, client.request_sync.
local TIMEOUT_MS = 10000

local function check(condition, what)
  if not condition then error(what, 2) end
end

local function run()
  local file = os.getenv('RISKOFF_LSP_FILE')
  local server = os.getenv('RISKOFF_LSP')
  check(file and server, 'set RISKOFF_LSP and RISKOFF_LSP_FILE')
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({ name = 'riskoff', cmd = { server, '--stdio' },
                                           root_dir = vim.fn.fnamemodify(file, ':p:h') })
  check(client_id, 'the server did not start')
  vim.lsp.buf_attach_client(bufnr, client_id)
  local client = vim.lsp.get_client_by_id(client_id)
  local uri = vim.uri_from_bufnr(bufnr)
  local function request(method, params)
    local reply, err = client.request_sync(method, params, TIMEOUT_MS, bufnr)
    check(reply, method .. ': no answer (' .. tostring(err) .. ')')
    check(not reply.err, method .. ': ' .. vim.inspect(reply.err))
    return reply.result
  end
  local function errors()
    return vim.diagnostic.get(bufnr, { severity = vim.diagnostic.severity.ERROR })
  end

  -- 1. The misspelt name is reported with its stable code, where it is.
  check(vim.wait(TIMEOUT_MS, function() return #errors() > 0 end, 10), 'no diagnostics arrived')
  local diagnostic = errors()[1]
  check(diagnostic.code == 'E0201', 'expected E0201, got ' .. tostring(diagnostic.code))
  check(diagnostic.message:find('vix_hgh', 1, true), 'message: ' .. diagnostic.message)
  check(diagnostic.lnum == 4 and diagnostic.col == 42, 'at ' .. diagnostic.lnum .. ':' .. diagnostic.col)

  -- 2. Hover on the parameter: its value and reason.
  local hover = request('textDocument/hover', { textDocument = { uri = uri }, position = { line = 3, character = 10 } })
  check(hover and hover.contents.value:find('param vix_high = 25', 1, true), 'hover: ' .. vim.inspect(hover))
  check(hover.contents.value:find('reason: VIX above 25', 1, true), 'hover reason: ' .. hover.contents.value)

  -- 3. The quick fix, applied by the editor (an incremental didChange), clears the error.
  local actions = request('textDocument/codeAction', {
    textDocument = { uri = uri },
    range = { start = { line = 4, character = 44 }, ['end'] = { line = 4, character = 44 } },
    context = { diagnostics = {} } })
  check(actions and #actions == 1, 'code actions: ' .. vim.inspect(actions))
  vim.lsp.util.apply_workspace_edit(actions[1].edit, 'utf-16')
  check(vim.wait(TIMEOUT_MS, function() return #errors() == 0 end, 10), 'the error stayed after the fix')

  -- 4. Rename the parameter: the declaration and its use change.
  local edit = request('textDocument/rename', { textDocument = { uri = uri }, position = { line = 3, character = 10 },
                                                newName = 'vix_limit' })
  vim.lsp.util.apply_workspace_edit(edit, 'utf-16')
  local text = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
  check(text:find('param   vix_limit=25', 1, true) and text:find('vix > vix_limit', 1, true), 'after rename:\n' .. text)

  -- 5. Format: the buffer becomes what `riskoff fmt` writes.
  local edits = request('textDocument/formatting', { textDocument = { uri = uri },
                                                     options = { tabSize = 2, insertSpaces = true } })
  vim.lsp.util.apply_text_edits(edits, bufnr, 'utf-16')
  local expected = vim.fn.readfile(vim.fn.fnamemodify(file, ':r') .. '.formatted.rules')
  local got = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  check(vim.deep_equal(got, expected), 'after formatting:\n' .. table.concat(got, '\n'))

  -- The server still agrees: no error after all the edits.
  check(vim.wait(TIMEOUT_MS, function() return #errors() == 0 end, 10), 'errors after formatting')

  -- 6. Values on a snapshot, set as an editor sets it: hover shows the signal's truth and margin,
  -- and the profile's "evaluate" lens decides it.
  client.notify('workspace/didChangeConfiguration', { settings = { riskoff = { snapshot = 'session.snapshot.json' } } })
  hover = request('textDocument/hover', { textDocument = { uri = uri }, position = { line = 4, character = 8 } })
  check(hover and hover.contents.value:find('**true**', 1, true), 'hover on the snapshot: ' .. vim.inspect(hover))
  check(hover.contents.value:find('margin +2.5', 1, true), 'hover margin: ' .. hover.contents.value)
  local lenses = request('textDocument/codeLens', { textDocument = { uri = uri } })
  local evaluate
  for _, lens in ipairs(lenses or {}) do
    if lens.command.command == 'riskoff.evaluateProfile' then evaluate = lens.command end
  end
  check(evaluate and evaluate.title == 'evaluate on session.snapshot.json: reduce', 'lenses: ' .. vim.inspect(lenses))
  local outcome = request('workspace/executeCommand', { command = evaluate.command, arguments = evaluate.arguments })
  check(outcome.action == 'reduce' and outcome.explanation.action == 'reduce', 'evaluate: ' .. vim.inspect(outcome))
  client.stop()
end

local ok, err = pcall(run)
if ok then
  io.stdout:write('nvim session: diagnostics, hover, quick fix, rename, formatting and snapshot values as expected\n')
  vim.cmd('qall!')
else
  io.stderr:write('nvim session FAILED: ' .. tostring(err) .. '\n')
  vim.cmd('cquit 1')
end
