//! Base images one or two letters away from the ones that exist: compared
//! with the images the lessons use and the images in the engine.

use std::sync::OnceLock;

use super::{distance, is_near};
use crate::dockerfile::ImageRef;
use crate::engine::EngineFacts;

/// The base images the built-in lessons start FROM.
fn lesson_images() -> &'static [String] {
    static IMAGES: OnceLock<Vec<String>> = OnceLock::new();
    IMAGES.get_or_init(|| crate::lesson::builtin().base_images())
}

/// Every image name worth comparing with: the lessons' base images and the
/// engine's tagged images, in the short form people write.
pub fn known(facts: Option<&EngineFacts>) -> Vec<String> {
    let mut out: Vec<String> = lesson_images().to_vec();
    for info in facts.map(|f| f.images.as_slice()).unwrap_or_default() {
        for tag in &info.repo_tags {
            let short = ImageRef::parse(tag).familiar();
            if !out.contains(&short) {
                out.push(short);
            }
        }
    }
    out
}

/// Whether the engine has this image (any spelling of its name).
pub fn in_engine(facts: &EngineFacts, image: &str) -> bool {
    facts.image_id(image).is_some()
}

/// The known image `typed` most probably means: the whole reference, the
/// name with the same tag, or the tag of the same name one or two letters
/// away (`pyhton:3.9-slim`, `python:3.9-slm`, `python:3.9slim`).
pub fn near_image(typed: &str, known: &[String]) -> Option<String> {
    let t = ImageRef::parse(typed);
    let t_short = t.familiar();
    let t_tag = t.tag.clone().unwrap_or_else(|| "latest".into());
    let mut best: Option<(usize, &String)> = None;
    for k in known {
        let r = ImageRef::parse(k);
        if r.familiar() == t_short {
            return None;
        }
        let k_tag = r.tag.clone().unwrap_or_else(|| "latest".into());
        let name_near = is_near(&t.name.to_lowercase(), &r.name) || t.name.to_lowercase() == r.name;
        let tag_near = t_tag == k_tag
            || is_near(&t_tag, &k_tag)
            || t_tag.replace(['-', '.', '_'], "") == k_tag.replace(['-', '.', '_'], "");
        let whole = is_near(&t_short.to_lowercase(), &r.familiar());
        if !(whole || (name_near && tag_near)) {
            continue;
        }
        let d = distance(&t_short, &r.familiar());
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, k));
        }
    }
    best.map(|(_, k)| k.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_images() {
        let known: Vec<String> = ["python:3.9-slim", "python:3.9", "python:3.9-alpine"]
            .map(String::from)
            .to_vec();
        let n = |t: &str| near_image(t, &known);
        assert_eq!(n("pyhton:3.9-slim").as_deref(), Some("python:3.9-slim"));
        assert_eq!(n("python:3.9-slm").as_deref(), Some("python:3.9-slim"));
        assert_eq!(n("python:3.9slim").as_deref(), Some("python:3.9-slim"));
        assert_eq!(n("Python:3.9-slim").as_deref(), Some("python:3.9-slim"));
        assert_eq!(n("python:3.9-slim"), None);
        assert_eq!(n("ubuntu:22.04"), None);
    }
}
