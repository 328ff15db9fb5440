//! The signals the event loop answers, per platform. On Unix: SIGTERM,
//! SIGHUP and SIGINT end the session cleanly, and SIGTSTP (Ctrl-Z from a
//! shell's job control, or `kill -TSTP`) suspends as the Ctrl-Z key does.
//! On Windows: Ctrl-C, Ctrl-Break and closing the console window end it;
//! there is no job control, so there is no suspend.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::state::Msg;

#[cfg(unix)]
pub struct Signals {
    term: tokio::signal::unix::Signal,
    hup: tokio::signal::unix::Signal,
    int: tokio::signal::unix::Signal,
    tstp: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl Signals {
    pub fn new() -> std::io::Result<Signals> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Signals {
            term: signal(SignalKind::terminate())?,
            hup: signal(SignalKind::hangup())?,
            int: signal(SignalKind::interrupt())?,
            tstp: signal(SignalKind::from_raw(signal_hook::consts::SIGTSTP))?,
        })
    }

    /// The next signal, as the message it means.
    pub async fn recv(&mut self) -> Msg {
        tokio::select! {
            _ = self.term.recv() => Msg::Terminate,
            _ = self.hup.recv() => Msg::Terminate,
            _ = self.int.recv() => Msg::Terminate,
            _ = self.tstp.recv() => ctrl_z(),
        }
    }
}

#[cfg(windows)]
pub struct Signals {
    ctrl_c: tokio::signal::windows::CtrlC,
    ctrl_break: tokio::signal::windows::CtrlBreak,
    close: tokio::signal::windows::CtrlClose,
}

#[cfg(windows)]
impl Signals {
    pub fn new() -> std::io::Result<Signals> {
        use tokio::signal::windows::{ctrl_break, ctrl_c, ctrl_close};
        Ok(Signals {
            ctrl_c: ctrl_c()?,
            ctrl_break: ctrl_break()?,
            close: ctrl_close()?,
        })
    }

    /// The next console event, as the message it means.
    pub async fn recv(&mut self) -> Msg {
        tokio::select! {
            _ = self.ctrl_c.recv() => Msg::Terminate,
            _ = self.ctrl_break.recv() => Msg::Terminate,
            _ = self.close.recv() => Msg::Terminate,
        }
    }
}

/// SIGTSTP means what the Ctrl-Z key means.
#[cfg_attr(not(unix), allow(dead_code))]
fn ctrl_z() -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL))
}
