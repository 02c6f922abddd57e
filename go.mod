module github.com/rules-rustc-wasm/rules_rustc_wasm

go 1.25.0

require (
	github.com/tetratelabs/wazero v1.12.0
	golang.org/x/sys v0.44.0
)

require google.golang.org/protobuf v1.36.12

require github.com/bazelbuild/buildtools v0.0.0-20260904073137-eaa4d125b423
