module github.com/rules-rustc-wasm/rules_rustc_wasm

go 1.25.0

require (
	github.com/tetratelabs/wazero v1.12.0
	golang.org/x/sys v0.44.0
)

require google.golang.org/protobuf v1.36.12
