//! BuildKit's progress as `docker build --progress=plain` prints it:
//!
//! ```text
//! #7 [3/5] COPY requirements.txt ./
//! #7 CACHED
//!
//! #8 [4/5] RUN pip install --no-cache-dir -r requirements.txt
//! #8 1.327 WARNING: Running pip as the 'root' user …
//! #8 DONE 1.8s
//! ```
//!
//! Pure: solve-status updates (vertices, their statuses and their logs) go
//! in, text comes out. Vertices are numbered in the order they are first
//! seen; a vertex's lines are headed by its number, and a switch to another
//! vertex repeats its header, as the CLI does. Unlike the CLI's terminal
//! display, nothing is redrawn: every line is final, so the output pane and
//! a pipe both read it as a log.

use std::collections::{HashMap, VecDeque};
use std::fmt::Write;

/// Times are seconds since the Unix epoch.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Vertex {
    pub digest: String,
    pub name: String,
    pub cached: bool,
    pub started: Option<f64>,
    pub completed: Option<f64>,
    /// Empty when the vertex did not fail.
    pub error: String,
}

/// Progress of one task inside a vertex (`transferring context: 174B`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Status {
    pub id: String,
    pub vertex: String,
    pub current: i64,
    pub total: i64,
    pub timestamp: Option<f64>,
    pub started: Option<f64>,
    pub completed: Option<f64>,
}

/// Output of a vertex: a RUN command's stdout and stderr.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Log {
    pub vertex: String,
    pub timestamp: Option<f64>,
    pub msg: Vec<u8>,
}

/// One solve-status message.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Update {
    pub vertexes: Vec<Vertex>,
    pub statuses: Vec<Status>,
    pub logs: Vec<Log>,
}

/// How many of a vertex's last log lines an error repeats.
const ERROR_TAIL: usize = 10;

#[derive(Debug, Default)]
struct State {
    index: usize,
    vertex: Vertex,
    statuses_done: Vec<String>,
    /// A log line still waiting for its newline.
    partial: Vec<u8>,
    tail: VecDeque<String>,
    header_shown: bool,
    finished: bool,
}

#[derive(Debug, Default)]
pub struct Plain {
    states: HashMap<String, State>,
    next_index: usize,
    current: Option<String>,
    printed_any: bool,
}

impl Plain {
    pub fn new() -> Plain {
        Plain::default()
    }

    /// The lines this update adds (each ends in a newline).
    pub fn update(&mut self, update: &Update) -> String {
        let mut touched: Vec<String> = Vec::new();
        let touch = |d: &str, touched: &mut Vec<String>| {
            if !touched.iter().any(|t| t == d) {
                touched.push(d.to_string());
            }
        };
        for v in &update.vertexes {
            let state = self.state(&v.digest);
            state.vertex = v.clone();
            touch(&v.digest, &mut touched);
        }
        let mut out = String::new();
        for d in &touched {
            self.show(d, &update.statuses, &update.logs, &mut out);
        }
        // Statuses and logs of vertices this update did not list.
        let mut rest: Vec<String> = Vec::new();
        for d in update
            .statuses
            .iter()
            .map(|s| &s.vertex)
            .chain(update.logs.iter().map(|l| &l.vertex))
        {
            if !touched.contains(d) {
                touch(d, &mut rest);
            }
        }
        for d in &rest {
            self.show(d, &update.statuses, &update.logs, &mut out);
        }
        out
    }

    /// Lines still waiting for a newline when the build ends.
    pub fn finish(&mut self) -> String {
        let mut out = String::new();
        let mut open: Vec<(usize, String)> = self
            .states
            .iter()
            .filter(|(_, s)| !s.partial.is_empty())
            .map(|(d, s)| (s.index, d.clone()))
            .collect();
        open.sort();
        for (_, d) in open {
            self.switch_to(&d, &mut out);
            let s = self.states.get_mut(&d).expect("listed");
            let line = String::from_utf8_lossy(&std::mem::take(&mut s.partial)).into_owned();
            let _ = writeln!(out, "#{} {line}", s.index);
        }
        out
    }

    /// The CLI's closing box for a failed vertex: its name and its last
    /// lines of output.
    pub fn error_box(&self, digest: &str) -> Option<String> {
        let s = self.states.get(digest)?;
        let mut out = String::from("------\n");
        let _ = writeln!(out, " > {}:", s.vertex.name);
        for l in &s.tail {
            let _ = writeln!(out, "{l}");
        }
        out.push_str("------\n");
        Some(out)
    }

    /// Whether any solve status came in.
    pub fn seen_any(&self) -> bool {
        !self.states.is_empty()
    }

    /// The number the output gives a vertex (`#7`).
    pub fn index_of(&self, digest: &str) -> Option<usize> {
        self.states.get(digest).map(|s| s.index)
    }

    fn state(&mut self, digest: &str) -> &mut State {
        if !self.states.contains_key(digest) {
            self.next_index += 1;
            self.states.insert(
                digest.to_string(),
                State {
                    index: self.next_index,
                    vertex: Vertex {
                        digest: digest.to_string(),
                        ..Vertex::default()
                    },
                    ..State::default()
                },
            );
        }
        self.states.get_mut(digest).expect("inserted")
    }

    fn show(&mut self, digest: &str, statuses: &[Status], logs: &[Log], out: &mut String) {
        let state = self.state(digest);
        let index = state.index;
        let mut lines: Vec<String> = Vec::new();
        for s in statuses.iter().filter(|s| s.vertex == digest) {
            if s.completed.is_none() || state.statuses_done.contains(&s.id) {
                continue;
            }
            state.statuses_done.push(s.id.clone());
            lines.push(format!("#{index} {}", status_text(s)));
        }
        let started = state.vertex.started;
        for l in logs.iter().filter(|l| l.vertex == digest) {
            state.partial.extend_from_slice(&l.msg);
            while let Some(nl) = state.partial.iter().position(|b| *b == b'\n') {
                let raw: Vec<u8> = state.partial.drain(..=nl).collect();
                let text = String::from_utf8_lossy(&raw[..raw.len() - 1])
                    .trim_end_matches('\r')
                    .to_string();
                let at = match (l.timestamp, started) {
                    (Some(t), Some(s)) => (t - s).max(0.0),
                    _ => 0.0,
                };
                let line = format!("#{index} {} {text}", go_g4(at));
                state.tail.push_back(line.clone());
                if state.tail.len() > ERROR_TAIL {
                    state.tail.pop_front();
                }
                lines.push(line);
            }
        }
        let v = &state.vertex;
        let begun = v.started.is_some() || v.completed.is_some() || v.cached;
        if v.completed.is_some() && !state.finished {
            if !state.partial.is_empty() {
                let rest =
                    String::from_utf8_lossy(&std::mem::take(&mut state.partial)).into_owned();
                lines.push(format!("#{index} {rest}"));
            }
            state.finished = true;
            lines.push(format!("#{index} {}", verdict(&state.vertex)));
        }
        let needs_header = begun && !state.header_shown;
        if lines.is_empty() && !needs_header {
            return; // nothing new, or announced but not started yet
        }
        let finished = state.finished;
        self.switch_to(digest, out);
        for l in lines {
            out.push_str(&l);
            out.push('\n');
        }
        if finished {
            self.current = None;
        }
    }

    /// Heads the output with the vertex's number and name when it is not
    /// the one printed last.
    fn switch_to(&mut self, digest: &str, out: &mut String) {
        if self.current.as_deref() == Some(digest) {
            return;
        }
        if self.printed_any {
            out.push('\n');
        }
        self.printed_any = true;
        let s = self.states.get_mut(digest).expect("known");
        s.header_shown = true;
        let _ = writeln!(out, "#{} {}", s.index, s.vertex.name);
        self.current = Some(digest.to_string());
    }
}

fn verdict(v: &Vertex) -> String {
    if !v.error.is_empty() {
        if v.error.contains("context canceled") {
            "CANCELED".into()
        } else {
            format!("ERROR: {}", v.error)
        }
    } else if v.cached {
        "CACHED".into()
    } else {
        let took = match (v.started, v.completed) {
            (Some(s), Some(c)) => (c - s).max(0.0),
            _ => 0.0,
        };
        format!("DONE {took:.1}s")
    }
}

/// `transferring context: 174B 0.1s done`.
fn status_text(s: &Status) -> String {
    let mut text = s.id.clone();
    if s.total != 0 {
        let _ = write!(text, " {} / {}", bytes(s.current), bytes(s.total));
    } else if s.current != 0 {
        let _ = write!(text, " {}", bytes(s.current));
    }
    let end = s.completed.or(s.timestamp);
    if let (Some(start), Some(end)) = (s.started, end) {
        let took = end - start;
        if took > 0.01 {
            let _ = write!(text, " {took:.1}s");
        }
    }
    if s.completed.is_some() {
        text.push_str(" done");
    }
    text
}

/// Sizes as BuildKit prints them: `438B`, `2.05kB`, `28.57MB`.
fn bytes(n: i64) -> String {
    let mut v = n as f64;
    let mut unit = 0;
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    while v.abs() >= 1000.0 && unit < UNITS.len() - 1 {
        v /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n}B")
    } else {
        format!("{v:.2}{}", UNITS[unit])
    }
}

/// Go's `%#.4g` for a log line's time: four significant digits
/// (`0.4000`, `1.327`, `12.34`).
fn go_g4(t: f64) -> String {
    if t <= 0.0 {
        return "0.000".into();
    }
    let magnitude = t.log10().floor() as i32;
    let decimals = (3 - magnitude).clamp(0, 6) as usize;
    format!("{t:.decimals$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vertex(d: &str, name: &str) -> Vertex {
        Vertex {
            digest: d.into(),
            name: name.into(),
            ..Vertex::default()
        }
    }

    #[test]
    fn a_cached_step_reads_like_the_cli() {
        let mut p = Plain::new();
        let cached = Vertex {
            cached: true,
            started: Some(10.0),
            completed: Some(10.0),
            ..vertex("a", "[2/5] WORKDIR /app")
        };
        let out = p.update(&Update {
            vertexes: vec![cached],
            ..Update::default()
        });
        assert_eq!(out, "#1 [2/5] WORKDIR /app\n#1 CACHED\n");
    }

    #[test]
    fn a_run_step_shows_its_output_and_time() {
        let mut p = Plain::new();
        let run = Vertex {
            started: Some(100.0),
            ..vertex("r", "[4/5] RUN pip install")
        };
        let mut out = p.update(&Update {
            vertexes: vec![vertex("q", "[3/5] COPY a ./"), run.clone()],
            ..Update::default()
        });
        out += &p.update(&Update {
            logs: vec![
                Log {
                    vertex: "r".into(),
                    timestamp: Some(101.3271),
                    msg: b"Collecting nothing\npart".to_vec(),
                },
                Log {
                    vertex: "r".into(),
                    timestamp: Some(101.5),
                    msg: b"ial\n".to_vec(),
                },
            ],
            ..Update::default()
        });
        out += &p.update(&Update {
            vertexes: vec![Vertex {
                completed: Some(101.84),
                ..run
            }],
            ..Update::default()
        });
        // The COPY was only announced (not started): numbered, not printed.
        assert_eq!(
            out,
            "#2 [4/5] RUN pip install\n#2 1.327 Collecting nothing\n#2 1.500 partial\n#2 DONE 1.8s\n"
        );
    }

    #[test]
    fn switching_vertices_repeats_the_header_after_a_blank_line() {
        let mut p = Plain::new();
        let a = Vertex {
            started: Some(0.0),
            ..vertex("a", "[internal] load build context")
        };
        let b = Vertex {
            started: Some(0.0),
            ..vertex("b", "[1/2] FROM docker.io/library/python:3.9-slim")
        };
        let mut out = p.update(&Update {
            vertexes: vec![a.clone(), b],
            ..Update::default()
        });
        out += &p.update(&Update {
            vertexes: vec![Vertex {
                completed: Some(0.05),
                ..a
            }],
            statuses: vec![Status {
                id: "transferring context:".into(),
                vertex: "a".into(),
                current: 174,
                started: Some(0.0),
                completed: Some(0.001),
                ..Status::default()
            }],
            ..Update::default()
        });
        assert_eq!(
            out,
            "#1 [internal] load build context\n\n\
             #2 [1/2] FROM docker.io/library/python:3.9-slim\n\n\
             #1 [internal] load build context\n\
             #1 transferring context: 174B done\n\
             #1 DONE 0.1s\n"
        );
    }

    #[test]
    fn a_failed_step_says_error_and_keeps_its_last_lines() {
        let mut p = Plain::new();
        let run = Vertex {
            started: Some(0.0),
            ..vertex("r", "[2/2] RUN false")
        };
        p.update(&Update {
            vertexes: vec![run.clone()],
            logs: vec![Log {
                vertex: "r".into(),
                timestamp: Some(0.25),
                msg: b"no such thing\n".to_vec(),
            }],
            ..Update::default()
        });
        let out = p.update(&Update {
            vertexes: vec![Vertex {
                completed: Some(0.3),
                error: "exit code: 1".into(),
                ..run
            }],
            ..Update::default()
        });
        assert_eq!(out, "#1 ERROR: exit code: 1\n");
        assert_eq!(
            p.error_box("r").unwrap(),
            "------\n > [2/2] RUN false:\n#1 0.2500 no such thing\n------\n"
        );
    }

    #[test]
    fn sizes_and_times_are_formatted_as_buildkit_does() {
        assert_eq!(bytes(438), "438B");
        assert_eq!(bytes(2_050), "2.05kB");
        assert_eq!(bytes(28_570_000), "28.57MB");
        assert_eq!(go_g4(0.4), "0.4000");
        assert_eq!(go_g4(1.327), "1.327");
        assert_eq!(go_g4(12.345), "12.35");
        assert_eq!(go_g4(0.0), "0.000");
    }
}
