-- Headless Neovim (0.7+) attaches to `dlg lsp` and prints the diagnostics of the file it opened.
-- Run by dlg/tests/lsp.rs: nvim --headless -u dlg/tests/lsp/nvim_init.lua FILE (DLG_BIN = the dlg to use).
vim.opt.swapfile = false
vim.opt.shadafile = "NONE"

local function say(text)
  io.stdout:write(text .. "\n")
end

vim.api.nvim_create_autocmd("VimEnter", {
  callback = function()
    local dlg = os.getenv("DLG_BIN") or "dlg"
    local client = vim.lsp.start_client({
      name = "dlg",
      cmd = { dlg, "lsp" },
      root_dir = vim.fn.getcwd(),
    })
    if not client then
      say("could not start " .. dlg .. " lsp")
      vim.cmd("cquit 1")
      return
    end
    vim.lsp.buf_attach_client(0, client)
    say("attached: " .. vim.lsp.get_client_by_id(client).name .. " to " .. vim.fn.expand("%:t"))
    local got = vim.wait(15000, function()
      return #vim.diagnostic.get(0) > 0
    end, 50)
    if not got then
      say("no diagnostics within 15 s")
      vim.cmd("cquit 1")
      return
    end
    for _, d in ipairs(vim.diagnostic.get(0)) do
      local first = vim.split(d.message, "\n")[1]
      say(string.format("diagnostic %d:%d [%s] %s", d.lnum + 1, d.col + 1, d.source or "?", first))
    end
    vim.lsp.stop_client(client)
    vim.cmd("qall!")
  end,
})
