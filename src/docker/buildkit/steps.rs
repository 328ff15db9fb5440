//! From BuildKit's vertex names back to the learner's Dockerfile.
//!
//! BuildKit names an instruction's vertex `[k/n] COPY app.py ./` in a
//! single-stage build and `[builder 2/4] RUN …` or `[stage-1 3/6] COPY …`
//! with stages. `k` counts only the instructions that make a layer (FROM,
//! RUN, COPY, ADD, WORKDIR) within the stage. The classic builder counts
//! every instruction of the file instead (`Step 4/6`); checks and failure
//! messages use that number, so each vertex is mapped to it here.

use crate::dockerfile::Dockerfile;

/// `[stage k/n] INSTRUCTION`, taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepName {
    /// `builder`, `stage-1`; `None` in a single-stage build.
    pub stage: Option<String>,
    pub k: usize,
    pub n: usize,
    /// `COPY requirements.txt ./`
    pub instruction: String,
}

/// `[builder 2/4] RUN make` → stage `builder`, 2 of 4, `RUN make`.
/// `None` for BuildKit's own vertices (`[internal] …`, `exporting to image`).
pub fn parse(name: &str) -> Option<StepName> {
    let rest = name.strip_prefix('[')?;
    let (inside, instruction) = rest.split_once("] ")?;
    let mut words: Vec<&str> = inside.split_whitespace().collect();
    let (k, n) = words.pop()?.split_once('/')?;
    // A platform may come first (`linux/amd64 builder 2/4`): the stage is
    // the word just before the counter.
    let stage = words.pop().map(str::to_string);
    Some(StepName {
        stage,
        k: k.parse().ok()?,
        n: n.parse().ok()?,
        instruction: instruction.trim().to_string(),
    })
}

/// The keywords that give a vertex of their own.
const LAYERED: [&str; 5] = ["FROM", "RUN", "COPY", "ADD", "WORKDIR"];

/// The classic builder's step number (1-based, across the whole file) of
/// this vertex, if the Dockerfile says which instruction it is.
pub fn classic_step(df: &Dockerfile, step: &StepName) -> Option<usize> {
    let stage = stage_index(df, step.stage.as_deref())?;
    let in_stage: Vec<(usize, &crate::dockerfile::Instruction)> = df
        .instructions
        .iter()
        .enumerate()
        .filter(|(_, i)| i.stage == stage && LAYERED.contains(&i.keyword))
        // Arguments before the first FROM belong to no stage.
        .skip_while(|(_, i)| i.keyword != "FROM")
        .collect();
    let keyword = step
        .instruction
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_uppercase();
    // The k-th layered instruction, when its keyword agrees; otherwise the
    // one with the same keyword and text.
    if let Some((at, i)) = in_stage.get(step.k.wrapping_sub(1))
        && i.keyword == keyword
    {
        return Some(at + 1);
    }
    let text = step.instruction.split_whitespace().collect::<Vec<_>>();
    in_stage
        .iter()
        .find(|(_, i)| {
            i.keyword == keyword
                && i.args.split_whitespace().collect::<Vec<_>>() == text[1.min(text.len())..]
        })
        .map(|(at, _)| at + 1)
}

/// The stage a vertex belongs to: `stage-N` is the N-th FROM, a name is the
/// FROM … AS name, and no name is the single stage.
fn stage_index(df: &Dockerfile, name: Option<&str>) -> Option<usize> {
    let Some(name) = name else {
        return Some(df.final_stage());
    };
    if let Some(n) = name.strip_prefix("stage-").and_then(|n| n.parse().ok()) {
        return Some(n);
    }
    df.instructions
        .iter()
        .filter(|i| i.keyword == "FROM")
        .find(|i| {
            let words: Vec<&str> = i.args.split_whitespace().collect();
            words.len() >= 2
                && words[words.len() - 2].eq_ignore_ascii_case("as")
                && words[words.len() - 1].eq_ignore_ascii_case(name)
        })
        .map(|i| i.stage)
}

/// The FROM a failed `[internal] load metadata for docker.io/library/x:1`
/// is about: its classic step number.
pub fn from_step_for_metadata(df: &Dockerfile, vertex_name: &str) -> Option<usize> {
    let reference = vertex_name
        .strip_prefix("[internal] load metadata for ")?
        .trim();
    let want = short_ref(reference);
    df.instructions
        .iter()
        .position(|i| {
            i.keyword == "FROM"
                && i.args
                    .split_whitespace()
                    .find(|w| !w.starts_with("--"))
                    .is_some_and(|image| short_ref(image) == want)
        })
        .map(|at| at + 1)
}

/// `docker.io/library/python:3.9-slim` and `python:3.9-slim` alike.
fn short_ref(reference: &str) -> String {
    let r = reference
        .trim_start_matches("docker.io/")
        .trim_start_matches("library/");
    crate::engine::normalize_ref(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_taken_apart() {
        assert_eq!(
            parse("[3/5] COPY requirements.txt ./"),
            Some(StepName {
                stage: None,
                k: 3,
                n: 5,
                instruction: "COPY requirements.txt ./".into()
            })
        );
        let s = parse("[builder  2/12] RUN make").unwrap();
        assert_eq!((s.stage.as_deref(), s.k, s.n), (Some("builder"), 2, 12));
        let s = parse("[linux/amd64 stage-1 3/6] COPY --from=builder /a /b").unwrap();
        assert_eq!(s.stage.as_deref(), Some("stage-1"));
        assert_eq!(parse("[internal] load build context"), None);
        assert_eq!(parse("exporting to image"), None);
    }

    const GUIDE: &str = "# comment\nFROM python:3.9-slim\n\nWORKDIR /app\nCOPY requirements.txt ./\nRUN pip install -r requirements.txt\nCOPY app.py ./\nCMD [\"python\", \"app.py\"]\n";

    #[test]
    fn single_stage_steps_map_to_the_classic_numbers() {
        let df = Dockerfile::parse(GUIDE).unwrap();
        let step = |name: &str| classic_step(&df, &parse(name).unwrap());
        assert_eq!(
            step("[1/5] FROM docker.io/library/python:3.9-slim"),
            Some(1)
        );
        assert_eq!(step("[2/5] WORKDIR /app"), Some(2));
        assert_eq!(step("[4/5] RUN pip install -r requirements.txt"), Some(4));
        assert_eq!(step("[5/5] COPY app.py ./"), Some(5));
        assert_eq!(df.step(4).unwrap().line, 6);
    }

    #[test]
    fn stages_are_found_by_name_and_by_number() {
        let df = Dockerfile::parse(
            "ARG V=3.9\nFROM python:${V} AS builder\nWORKDIR /app\nRUN make\n\
             FROM python:3.9-slim\nENV A=1\nCOPY --from=builder /install /opt\nUSER app\n",
        )
        .unwrap();
        let step = |name: &str| classic_step(&df, &parse(name).unwrap());
        assert_eq!(
            step("[builder 1/3] FROM docker.io/library/python:3.9"),
            Some(2)
        );
        assert_eq!(step("[builder 3/3] RUN make"), Some(4));
        assert_eq!(
            step("[stage-1 1/2] FROM docker.io/library/python:3.9-slim"),
            Some(5)
        );
        // ENV makes no vertex: the COPY is the stage's second.
        assert_eq!(
            step("[stage-1 2/2] COPY --from=builder /install /opt"),
            Some(7)
        );
    }

    #[test]
    fn a_failed_metadata_lookup_points_at_its_from() {
        let df = Dockerfile::parse("FROM docktutor-no-such-base:1.0\nCMD [\"true\"]\n").unwrap();
        assert_eq!(
            from_step_for_metadata(
                &df,
                "[internal] load metadata for docker.io/library/docktutor-no-such-base:1.0"
            ),
            Some(1)
        );
        assert_eq!(
            from_step_for_metadata(&df, "[internal] load metadata for x"),
            None
        );
    }
}
