//! Terminal input on its own thread. It can be paused (while $EDITOR runs
//! or the app is suspended) so it never steals the keys meant for another
//! program.

use std::sync::mpsc as std_mpsc;
use std::time::Duration;

use ratatui::crossterm::event::{self, Event};
use tokio::sync::mpsc;

use crate::state::Msg;

/// How often the thread looks up from waiting to see if it should pause.
const POLL: Duration = Duration::from_millis(500);

enum Control {
    Pause(std_mpsc::Sender<()>),
    Resume,
}

pub struct Input {
    control: std_mpsc::Sender<Control>,
}

/// Reading is paused until this is resumed (or dropped).
pub struct Paused<'a> {
    input: &'a Input,
}

impl Drop for Paused<'_> {
    fn drop(&mut self) {
        let _ = self.input.control.send(Control::Resume);
    }
}

impl Input {
    pub fn spawn(tx: mpsc::Sender<Msg>) -> Input {
        let (control, control_rx) = std_mpsc::channel::<Control>();
        let _ = std::thread::Builder::new()
            .name("input".into())
            .spawn(move || {
                loop {
                    if let Ok(Control::Pause(ack)) = control_rx.try_recv() {
                        let _ = ack.send(());
                        loop {
                            match control_rx.recv() {
                                Ok(Control::Resume) => break,
                                Ok(Control::Pause(ack)) => {
                                    let _ = ack.send(());
                                }
                                Err(_) => return,
                            }
                        }
                    }
                    match event::poll(POLL) {
                        Ok(true) => {}
                        Ok(false) => continue,
                        Err(_) => return,
                    }
                    let msg = match event::read() {
                        Ok(Event::Key(k)) => Msg::Key(k),
                        Ok(Event::Mouse(m)) => Msg::Mouse(m),
                        Ok(Event::Resize(w, h)) => Msg::Resize(w, h),
                        Ok(Event::Paste(text)) => Msg::Paste(text),
                        Ok(_) => continue,
                        Err(_) => return,
                    };
                    if tx.blocking_send(msg).is_err() {
                        return;
                    }
                }
            });
        Input { control }
    }

    /// Stops reading the terminal; reading resumes when the guard drops.
    pub fn pause(&self) -> Paused<'_> {
        let (ack_tx, ack_rx) = std_mpsc::channel();
        if self.control.send(Control::Pause(ack_tx)).is_ok() {
            // The thread answers within one poll interval.
            let _ = ack_rx.recv_timeout(POLL * 4);
        }
        Paused { input: self }
    }
}
