//! Small text helpers shared by parsers.

/// 1-based line of a byte offset inside `text`.
pub use crate::dockerfile::lines::line_of;

/// Bytes for people: `4.1kB`, `29.0MB`.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes}B")
    } else {
        format!("{value:.1}{}", UNITS[unit])
    }
}

/// Sizes as `docker images` prints them: decimal units, three significant
/// digits (187_700_000 → "188MB", 29_040_000 → "29MB").
pub fn docker_size(bytes: u64) -> String {
    const UNITS: [&str; 7] = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    let digits = if value >= 100.0 {
        0
    } else if value >= 10.0 {
        1
    } else {
        2
    };
    let mut text = format!("{value:.digits$}");
    if text.contains('.') {
        text = text.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    format!("{text}{}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_bytes_reads_well() {
        assert_eq!(human_bytes(512), "512B");
        assert_eq!(human_bytes(4096), "4.1kB");
        assert_eq!(human_bytes(29_000_000), "29.0MB");
    }
    #[test]
    fn sizes_read_like_the_cli() {
        assert_eq!(docker_size(187_700_000), "188MB");
        assert_eq!(docker_size(29_040_000), "29MB");
        assert_eq!(docker_size(4_096), "4.1kB");
        assert_eq!(docker_size(999), "999B");
        assert_eq!(docker_size(1_234_000_000), "1.23GB");
    }
}
