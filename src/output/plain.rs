//! The same untrusted bytes, sanitised for a plain stream (the headless
//! commands' stdout) instead of a pane: text, newlines, tabs and `\r`
//! pass; colours pass only when asked; every other sequence is dropped.

pub struct PlainFilter {
    parser: vte::Parser,
    keep_color: bool,
}

struct Sink<'a> {
    out: &'a mut Vec<u8>,
    keep_color: bool,
}

impl PlainFilter {
    pub fn new(keep_color: bool) -> PlainFilter {
        PlainFilter {
            parser: vte::Parser::new(),
            keep_color,
        }
    }

    /// Filters a chunk; state carries over to the next chunk.
    pub fn filter(&mut self, bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(bytes.len());
        let mut sink = Sink {
            out: &mut out,
            keep_color: self.keep_color,
        };
        self.parser.advance(&mut sink, bytes);
        out
    }
}

impl vte::Perform for Sink<'_> {
    fn print(&mut self, c: char) {
        if !c.is_control() && !super::is_invisible_format(c) {
            let mut buf = [0u8; 4];
            self.out
                .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
    }

    fn execute(&mut self, byte: u8) {
        if matches!(byte, b'\n' | b'\r' | b'\t') {
            self.out.push(byte);
        }
    }

    fn csi_dispatch(
        &mut self,
        params: &vte::Params,
        intermediates: &[u8],
        ignore: bool,
        action: char,
    ) {
        if action != 'm' || !self.keep_color || ignore || !intermediates.is_empty() {
            return;
        }
        let codes: Vec<String> = params
            .iter()
            .map(|p| p.iter().map(u16::to_string).collect::<Vec<_>>().join(":"))
            .collect();
        self.out
            .extend_from_slice(format!("\x1b[{}m", codes.join(";")).as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_everything_but_text() {
        let mut f = PlainFilter::new(false);
        let out = f.filter(b"\x1b]0;title\x07\x1b[2J\x1b[31mred\x1b[0m\r\nok\x07\n");
        assert_eq!(out, b"red\r\nok\n");
    }

    #[test]
    fn keeps_colour_when_asked() {
        let mut f = PlainFilter::new(true);
        let out = f.filter(b"\x1b[1;31mred\x1b[0m\x1b[H");
        assert_eq!(String::from_utf8(out).unwrap(), "\x1b[1;31mred\x1b[0m");
    }
}
