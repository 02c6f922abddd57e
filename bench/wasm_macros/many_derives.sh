#!/usr/bin/env bash
# The derive-heavy crate of the macro benchmarks, on stdout:
#   many_derives.sh SERDE THISERROR CLAP SEED
# SERDE structs deriving serde's Serialize and Deserialize, THISERROR enums
# deriving thiserror's Error, CLAP structs deriving clap's Parser (0 for a
# crate without clap), and `pub const SEED: u32 = SEED;` (a new SEED makes
# the crate compile again while its dependencies stay built).
set -euo pipefail
[ $# = 4 ] || { echo "usage: $0 SERDE THISERROR CLAP SEED" >&2; exit 2; }
for n in "$@"; do
  [[ $n =~ ^[0-9]+$ ]] || { echo "$0: $n is not a count" >&2; exit 2; }
done
echo 'use serde::{Deserialize, Serialize};'
echo "pub const SEED: u32 = $4;"
for i in $(seq 1 "$1"); do
  echo "#[derive(Serialize, Deserialize)] pub struct Record$i { pub id: u64, pub name: String, #[serde(default)] pub tags: Vec<String>, #[serde(rename = \"v$i\")] pub value: Option<f64>, pub nested: Vec<(u32, String)> }"
done
for i in $(seq 1 "$2"); do
  echo "#[derive(Debug, thiserror::Error)] pub enum Error$i { #[error(\"io failed: {0}\")] Io(String), #[error(\"bad value {value} at {line}\")] Bad { value: i64, line: u32 }, #[error(transparent)] Other(#[from] std::fmt::Error) }"
done
for i in $(seq 1 "$3"); do
  echo "#[derive(clap::Parser)] #[command(version, about)] pub struct Args$i { #[arg(long, default_value_t = 3)] pub count: u32, #[arg(short, long)] pub verbose: bool, pub input: Option<String>, #[arg(long, value_delimiter = ',')] pub tags: Vec<String> }"
done
