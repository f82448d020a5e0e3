//! Mutations of real files and a bounded property runner, shared by the
//! importer fuzz tests here and, through `#[path]`, by the planner's
//! `tests/csv_fuzz.rs` (so it depends on nothing but proptest).
#![allow(dead_code)]

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, FileFailurePersistence, RngSeed, TestError, TestRunner};

/// Cases per property: `PROPTEST_CASES`, or `default`, chosen so that the
/// whole fuzz test stays within about 30 s on two cores.
pub fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Bytes that break CSV readers in known ways, besides random ones.
fn token() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => any::<u8>().prop_map(|b| vec![b]),
        2 => Just(b"\"".to_vec()),
        1 => Just(b";".to_vec()),
        1 => Just(b",".to_vec()),
        1 => Just(b"\t".to_vec()),
        2 => Just(b"\0".to_vec()),
        1 => Just(b"\n".to_vec()),
        1 => Just(b"\r\n".to_vec()),
        1 => Just(b"\r".to_vec()),
        1 => Just(b"\x1b".to_vec()),
        1 => Just("\u{feff}".as_bytes().to_vec()),
        // Truncated UTF-8: the first byte of «ñ», two of «€».
        1 => Just(vec![0xC3]),
        1 => Just(vec![0xE2, 0x82]),
        1 => Just(b"99999999999999999999".to_vec()),
        1 => Just(b"9223372036854775807".to_vec()),
        1 => Just(b"-1".to_vec()),
        1 => Just(b"1e308".to_vec()),
        1 => Just(b"NaN".to_vec()),
        1 => (1_000usize..120_000).prop_map(|n| vec![b'A'; n]),
        1 => "\\PC{0,12}".prop_map(String::into_bytes),
    ]
}

/// One change to a file.
#[derive(Debug, Clone)]
pub enum Mutation {
    Insert(Index, Vec<u8>),
    Remove(Index, usize),
    Truncate(Index),
    /// Replaces a whole field (line, field) of the base file.
    Field(Index, Index, Vec<u8>),
}

pub fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<Index>(), token()).prop_map(|(i, t)| Mutation::Insert(i, t)),
        2 => (any::<Index>(), 1usize..40).prop_map(|(i, n)| Mutation::Remove(i, n)),
        1 => any::<Index>().prop_map(Mutation::Truncate),
        4 => (any::<Index>(), any::<Index>(), token()).prop_map(|(l, f, t)| Mutation::Field(l, f, t)),
    ]
}

/// Applies mutations in order; `delimiter` splits fields for `Mutation::Field`.
pub fn apply(base: &[u8], delimiter: u8, mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = base.to_vec();
    for m in mutations {
        match m {
            Mutation::Insert(at, token) => {
                let at = at.index(bytes.len() + 1);
                bytes.splice(at..at, token.iter().copied());
            }
            Mutation::Remove(at, len) => {
                if !bytes.is_empty() {
                    let at = at.index(bytes.len());
                    let end = (at + len).min(bytes.len());
                    bytes.drain(at..end);
                }
            }
            Mutation::Truncate(at) => bytes.truncate(at.index(bytes.len() + 1)),
            Mutation::Field(line, field, value) => {
                let mut lines: Vec<Vec<u8>> =
                    bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
                let l = line.index(lines.len());
                let mut fields: Vec<Vec<u8>> = lines[l]
                    .split(|&b| b == delimiter)
                    .map(<[u8]>::to_vec)
                    .collect();
                let f = field.index(fields.len());
                fields[f] = value.clone();
                lines[l] = fields.join(&delimiter);
                bytes = lines.join(&b'\n');
            }
        }
    }
    bytes
}

/// File contents, shown as an escaped byte string so that a failing case
/// can be pasted into a regression test.
#[derive(Clone)]
pub struct Bytes(pub Vec<u8>);

impl std::fmt::Debug for Bytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let escaped: String = self
            .0
            .iter()
            .flat_map(|&b| std::ascii::escape_default(b))
            .map(char::from)
            .collect();
        write!(f, "b\"{escaped}\"")
    }
}

/// A base file (chosen among `bases`) and 1 to 4 mutations applied to it.
pub fn mutated(bases: Vec<(Vec<u8>, u8)>) -> impl Strategy<Value = Bytes> {
    (0..bases.len(), proptest::collection::vec(mutation(), 1..5))
        .prop_map(move |(b, ms)| Bytes(apply(&bases[b].0, bases[b].1, &ms)))
}

/// Physical lines of a text as an editor (and the CSV reader) numbers
/// them: `\n`, `\r\n` and a lone `\r` each end a line.
pub fn line_count(text: &str) -> usize {
    text.replace("\r\n", "\n").split(['\n', '\r']).count()
}

fn config(source: &'static str, cases: u32) -> Config {
    Config {
        cases,
        source_file: Some(source),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        // CI replays the same cases every run; `PROPTEST_RNG_SEED=N` explores others.
        rng_seed: match std::env::var("PROPTEST_RNG_SEED") {
            Ok(seed) => seed.parse().map(RngSeed::Fixed).unwrap_or(RngSeed::Random),
            Err(_) => RngSeed::Fixed(0x5eed_2025),
        },
        max_shrink_iters: 2_000,
        ..Config::default()
    }
}

/// Runs a property over `cases` inputs and panics with the smallest failing
/// one. With `REDES_FUZZ_CENSUS=1` it does not stop at the first failure: it
/// runs every case, counts the failures and prints them, which is how the
/// numbers before and after a fix are measured.
pub fn check<S>(
    name: &str,
    source: &'static str,
    cases: u32,
    strategy: S,
    property: impl Fn(S::Value) -> Result<(), String>,
) where
    S: Strategy,
    S::Value: std::fmt::Debug,
{
    let started = std::time::Instant::now();
    if std::env::var_os("REDES_FUZZ_CENSUS").is_some() {
        let mut runner = TestRunner::new(config(source, cases));
        let mut failures = std::collections::BTreeMap::<String, usize>::new();
        for _ in 0..cases {
            let value = strategy.new_tree(&mut runner).expect("strategy").current();
            let outcome =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| property(value)));
            let kind = match outcome {
                Ok(Ok(())) => continue,
                Ok(Err(message)) => message,
                Err(panic) => format!(
                    "panic: {}",
                    panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default()
                ),
            };
            // One entry per kind of failure, not per input.
            let kind: String = kind.chars().take(90).collect();
            *failures.entry(kind).or_default() += 1;
        }
        let total: usize = failures.values().sum();
        eprintln!(
            "fuzz {name}: {cases} cases, {total} failures in {:.1?}",
            started.elapsed()
        );
        for (kind, n) in &failures {
            eprintln!("  {n:>5} × {kind}");
        }
        return;
    }
    let mut runner = TestRunner::new(config(source, cases));
    let result = runner.run(&strategy, |value| {
        property(value).map_err(TestCaseError::fail)
    });
    eprintln!("fuzz {name}: {cases} cases in {:.1?}", started.elapsed());
    match result {
        Ok(()) => {}
        Err(TestError::Fail(why, input)) => {
            panic!("fuzz {name} failed: {why}\nminimal input: {input:?}")
        }
        Err(e) => panic!("fuzz {name}: {e}"),
    }
}
