-- riskoff rule files in Neovim (0.7 or later): the `riskoff` filetype for *.rules, and the
-- language server `riskoff lsp` started for each such buffer. Put this file in
-- ~/.config/nvim/plugin/ (or `require` it from init.lua); `riskoff` must be on PATH.
vim.cmd([[autocmd BufNewFile,BufRead *.rules setfiletype riskoff]])

vim.api.nvim_create_autocmd('FileType', {
  pattern = 'riskoff',
  callback = function(args)
    vim.bo[args.buf].commentstring = '# %s'
    local root = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(args.buf), ':p:h')
    local config = { name = 'riskoff', cmd = { 'riskoff', 'lsp' }, root_dir = root }
    if vim.lsp.start then
      vim.lsp.start(config)  -- Neovim 0.8+: reuses a running server for the same root
    else
      local id = vim.lsp.start_client(config)
      if id then vim.lsp.buf_attach_client(args.buf, id) end
    end
  end,
})
