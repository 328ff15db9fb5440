//! Entering and leaving the full-screen terminal. Every mode we switch on
//! (raw mode, alternate screen, mouse capture, bracketed paste) is switched
//! off again on every way out: normal quit, error, panic, signal.

use std::io::{Write, stdout};
use std::sync::atomic::{AtomicBool, Ordering};

use ratatui::DefaultTerminal;
use ratatui::crossterm::cursor::Show;
use ratatui::crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Switches the terminal into the app's modes and returns a ratatui terminal.
/// On failure everything already switched on is switched off again.
pub fn enter() -> std::io::Result<DefaultTerminal> {
    let result = (|| {
        enable_raw_mode()?;
        ACTIVE.store(true, Ordering::SeqCst);
        execute!(
            stdout(),
            EnterAlternateScreen,
            EnableMouseCapture,
            EnableBracketedPaste,
            Clear(ClearType::All)
        )?;
        // A fresh Terminal draws every cell on its first frame. (Its
        // `clear()` would ask the terminal for the cursor position, which
        // some terminals never answer.)
        ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(stdout()))
    })();
    if result.is_err() {
        leave();
    }
    result
}

/// Undoes everything `enter` did. Safe to call twice, and from a panic hook.
pub fn leave() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = stdout();
    let _ = execute!(
        out,
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        Show
    );
    let _ = disable_raw_mode();
    let _ = out.flush();
}

/// Restores the terminal before the default panic message is printed, so
/// the message is readable and the shell works afterwards.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        leave();
        previous(info);
    }));
}

/// Leaves the terminal when dropped: covers early returns and errors.
pub struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        leave();
    }
}
