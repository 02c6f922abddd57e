//! The cases of `print_cases.txt`, whose expected sections are rustc 1.63's
//! own output (regenerate them with `tests/rustc_print/regen.sh`): our lexer
//! must split each source into the same trees with the same spacing, and our
//! `to_string` must print those trees exactly as rustc does.

use super::{parse, trees_text};

struct Case {
    name: String,
    source: String,
    rustc: String,
    trees: String,
}

fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let mut sections: Vec<(String, Vec<&str>)> = Vec::new();
    let text = include_str!("print_cases.txt");
    for line in text.lines() {
        match line.strip_prefix("#### ") {
            Some(header) => sections.push((header.to_string(), Vec::new())),
            None => sections.last_mut().expect("a section header first").1.push(line),
        }
    }
    for chunk in sections.chunks(3) {
        match chunk {
            [(case, source), (rustc, printed), (trees, split)] if rustc == "rustc" && trees == "trees" => {
                cases.push(Case {
                    name: case.strip_prefix("case ").expect("#### case NAME").to_string(),
                    source: source.join("\n"),
                    rustc: printed.join("\n"),
                    trees: split.join("\n"),
                })
            }
            _ => panic!("print_cases.txt: expected case, rustc and trees sections"),
        }
    }
    cases
}

#[test]
fn there_are_cases() {
    assert!(cases().len() >= 30, "print_cases.txt lost cases");
}

#[test]
fn trees_match_rustc() {
    for case in cases() {
        let ours = trees_text(parse(&case.source));
        assert_eq!(ours.trim_end(), case.trees, "case {}", case.name);
    }
}

#[test]
fn to_string_matches_rustc() {
    for case in cases() {
        assert_eq!(parse(&case.source).to_string(), case.rustc, "case {}", case.name);
    }
}
