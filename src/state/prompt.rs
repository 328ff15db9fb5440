//! The `:` prompt's line: editing as in a shell (Ctrl-a/e/w/u, arrows),
//! the per-workspace history walked with ↑/↓, and Tab completion. Pure:
//! the key handling is in `prompt_keys.rs`, the drawing in `ui/prompt.rs`.

use clap::CommandFactory;

use crate::command::grammar::DockerCli;

/// How many lines of history are kept.
pub const HISTORY_LIMIT: usize = 200;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prompt {
    pub open: bool,
    /// The line being typed.
    pub line: String,
    /// The cursor, in characters from the start.
    pub cursor: usize,
    /// Earlier lines, oldest first.
    pub history: Vec<String>,
    /// Which history line is shown (`None`: the line being typed).
    browsing: Option<usize>,
    /// The line being typed while the history is browsed.
    draft: String,
    /// Why the last Enter was refused, shown until the line changes.
    pub error: Option<String>,
}

impl Prompt {
    pub fn open(&mut self) {
        self.open = true;
        self.line.clear();
        self.cursor = 0;
        self.browsing = None;
        self.error = None;
    }

    pub fn close(&mut self) {
        self.open = false;
        self.error = None;
    }

    fn byte(&self, chars: usize) -> usize {
        self.line
            .char_indices()
            .nth(chars)
            .map_or(self.line.len(), |(i, _)| i)
    }

    fn len(&self) -> usize {
        self.line.chars().count()
    }

    fn edited(&mut self) {
        self.error = None;
        self.browsing = None;
    }

    pub fn insert(&mut self, c: char) {
        let at = self.byte(self.cursor);
        self.line.insert(at, c);
        self.cursor += 1;
        self.edited();
    }

    pub fn insert_str(&mut self, s: &str) {
        for c in s.chars() {
            self.insert(c);
        }
    }

    pub fn backspace(&mut self) {
        if self.cursor > 0 {
            self.cursor -= 1;
            let at = self.byte(self.cursor);
            self.line.remove(at);
            self.edited();
        }
    }

    pub fn delete(&mut self) {
        if self.cursor < self.len() {
            let at = self.byte(self.cursor);
            self.line.remove(at);
            self.edited();
        }
    }

    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.len());
    }

    /// Ctrl-a.
    pub fn home(&mut self) {
        self.cursor = 0;
    }

    /// Ctrl-e.
    pub fn end(&mut self) {
        self.cursor = self.len();
    }

    /// Ctrl-w: the word before the cursor (and the spaces after it).
    pub fn delete_word(&mut self) {
        let chars: Vec<char> = self.line.chars().collect();
        let mut start = self.cursor;
        while start > 0 && chars[start - 1] == ' ' {
            start -= 1;
        }
        while start > 0 && chars[start - 1] != ' ' {
            start -= 1;
        }
        let (from, to) = (self.byte(start), self.byte(self.cursor));
        self.line.replace_range(from..to, "");
        self.cursor = start;
        self.edited();
    }

    /// Ctrl-u: everything before the cursor.
    pub fn delete_to_start(&mut self) {
        let to = self.byte(self.cursor);
        self.line.replace_range(..to, "");
        self.cursor = 0;
        self.edited();
    }

    /// ↑: the previous history line.
    pub fn older(&mut self) {
        let next = match self.browsing {
            None if self.history.is_empty() => return,
            None => {
                self.draft = self.line.clone();
                self.history.len() - 1
            }
            Some(0) => return,
            Some(i) => i - 1,
        };
        self.show(Some(next));
    }

    /// ↓: the next history line, then the line being typed.
    pub fn newer(&mut self) {
        match self.browsing {
            None => {}
            Some(i) if i + 1 < self.history.len() => self.show(Some(i + 1)),
            Some(_) => self.show(None),
        }
    }

    fn show(&mut self, at: Option<usize>) {
        self.browsing = at;
        self.line = match at {
            Some(i) => self.history[i].clone(),
            None => std::mem::take(&mut self.draft),
        };
        self.cursor = self.len();
        self.error = None;
    }

    /// Keeps a line that ran (not twice in a row; the oldest go first).
    pub fn remember(&mut self, line: &str) {
        let line = line.trim();
        if line.is_empty() || self.history.last().is_some_and(|l| l == line) {
            return;
        }
        self.history.push(line.to_string());
        if self.history.len() > HISTORY_LIMIT {
            self.history.remove(0);
        }
    }

    /// The word under completion: from the last space before the cursor.
    fn word_start(&self) -> usize {
        let chars: Vec<char> = self.line.chars().take(self.cursor).collect();
        chars.iter().rposition(|c| *c == ' ').map_or(0, |p| p + 1)
    }

    /// Tab: completes the word before the cursor as far as every candidate
    /// agrees; returns the candidates when more than one fits.
    pub fn complete(&mut self, images: &[String], files: &[String]) -> Vec<String> {
        let start = self.word_start();
        let word: String = self
            .line
            .chars()
            .skip(start)
            .take(self.cursor - start)
            .collect();
        let before: Vec<String> = self
            .line
            .chars()
            .take(start)
            .collect::<String>()
            .split_whitespace()
            .map(str::to_string)
            .collect();
        let candidates: Vec<String> = candidates(&before, &word, images, files)
            .into_iter()
            .filter(|c| c.starts_with(&word))
            .collect();
        let Some(first) = candidates.first() else {
            return vec![];
        };
        let common = candidates.iter().fold(first.clone(), |acc, c| {
            acc.chars()
                .zip(c.chars())
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| a)
                .collect()
        });
        let mut addition: String = common.chars().skip(word.chars().count()).collect();
        if candidates.len() == 1 && !common.ends_with('/') {
            addition.push(' ');
        }
        self.insert_str(&addition);
        if candidates.len() > 1 {
            candidates
        } else {
            vec![]
        }
    }
}

/// What may come next after `before` (the whole words typed so far).
fn candidates(before: &[String], word: &str, images: &[String], files: &[String]) -> Vec<String> {
    if before.is_empty() {
        return vec!["docker".into()];
    }
    let mut cmd = DockerCli::command();
    let mut rest = &before[1..];
    while cmd.has_subcommands() {
        match rest.first().and_then(|w| cmd.find_subcommand(w).cloned()) {
            Some(sub) => {
                cmd = sub;
                rest = &rest[1..];
            }
            None => {
                return cmd
                    .get_subcommands()
                    .map(|s| s.get_name().to_string())
                    .collect();
            }
        }
    }
    if word.starts_with('-') {
        return cmd
            .get_arguments()
            .filter_map(|a| a.get_long().map(|l| format!("--{l}")))
            .collect();
    }
    // A value after a flag that takes one, or a positional argument.
    let after_flag = rest.last().and_then(|w| {
        cmd.get_arguments()
            .find(|a| match w.strip_prefix("--") {
                Some(long) => a.get_long() == Some(long),
                None => w.len() == 2 && w.starts_with('-') && a.get_short() == w.chars().nth(1),
            })
            .filter(|a| a.get_action().takes_values())
    });
    let file_like = matches!(cmd.get_name(), "build")
        || after_flag.is_some_and(|a| a.get_long() == Some("file"));
    let mut out: Vec<String> = Vec::new();
    if file_like {
        out.push(".".into());
        out.extend(files.iter().cloned());
    }
    if !file_like || after_flag.is_some_and(|a| a.get_long() == Some("tag")) {
        out.extend(images.iter().cloned());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(s: &str) -> Prompt {
        let mut p = Prompt::default();
        p.open();
        p.insert_str(s);
        p
    }

    #[test]
    fn edits_as_in_a_shell() {
        let mut p = typed("docker biuld");
        p.backspace();
        assert_eq!(p.line, "docker biul");
        p.home();
        p.delete();
        assert_eq!(p.line, "ocker biul");
        p.insert('d');
        p.end();
        p.delete_word();
        assert_eq!((p.line.as_str(), p.cursor), ("docker ", 7));
        p.insert_str("build .");
        p.left();
        p.left();
        p.delete_to_start();
        assert_eq!((p.line.as_str(), p.cursor), (" .", 0));
        p.right();
        p.right();
        p.right();
        assert_eq!(p.cursor, 2, "not past the end");
        // Multi-byte characters are one step each.
        let mut p = typed("é");
        p.left();
        p.insert('a');
        assert_eq!(p.line, "aé");
    }

    #[test]
    fn history_walks_back_and_returns_to_the_draft() {
        let mut p = typed("docker images");
        p.remember("docker build -t a .");
        p.remember("docker run a");
        p.remember("docker run a");
        p.remember("  ");
        assert_eq!(p.history.len(), 2);
        p.older();
        assert_eq!(p.line, "docker run a");
        p.older();
        p.older();
        assert_eq!(p.line, "docker build -t a .");
        p.newer();
        assert_eq!(p.line, "docker run a");
        p.newer();
        assert_eq!(p.line, "docker images");
        for k in 0..HISTORY_LIMIT + 5 {
            p.remember(&format!("docker ps {k}"));
        }
        assert_eq!(p.history.len(), HISTORY_LIMIT);
        assert_eq!(
            p.history.last().unwrap(),
            &format!("docker ps {}", HISTORY_LIMIT + 4)
        );
    }

    #[test]
    fn tab_completes_subcommands_flags_images_and_files() {
        let images = vec![
            "my-docker-app:latest".to_string(),
            "python:3.9-slim".to_string(),
        ];
        let files = vec![
            "Dockerfile".to_string(),
            "app.py".to_string(),
            "src/".to_string(),
        ];
        let mut p = typed("dock");
        p.complete(&images, &files);
        assert_eq!(p.line, "docker ");
        let mut p = typed("docker bu");
        p.complete(&images, &files);
        assert_eq!(p.line, "docker build ");
        let mut p = typed("docker image in");
        p.complete(&images, &files);
        assert_eq!(p.line, "docker image inspect ");
        let mut p = typed("docker build --no-c");
        p.complete(&images, &files);
        assert_eq!(p.line, "docker build --no-cache ");
        let mut p = typed("docker run my");
        p.complete(&images, &files);
        assert_eq!(p.line, "docker run my-docker-app:latest ");
        let mut p = typed("docker build -f Do");
        p.complete(&images, &files);
        assert_eq!(p.line, "docker build -f Dockerfile ");
        let mut p = typed("docker build s");
        p.complete(&images, &files);
        assert_eq!(p.line, "docker build src/", "a folder takes no space");
        // Several fit: the common part, and the list.
        let mut p = typed("docker r");
        let many = p.complete(&images, &files);
        assert_eq!(p.line, "docker r");
        assert!(many.contains(&"run".to_string()) && many.contains(&"rmi".to_string()));
    }
}
