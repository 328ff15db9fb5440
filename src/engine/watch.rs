//! What the lessons want the engine task to keep an eye on. The lesson
//! module says it (`LessonSet::watch`); the docker module reads it.

use super::facts::Probe;

/// What the lessons want watched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Watch {
    /// Image references whose details checks read.
    pub images: Vec<String>,
    pub probes: Vec<Probe>,
    /// Labels whose dangling images are counted.
    pub labels: Vec<String>,
}
