// Package macrobuild is the build-time half of wasm proc macros: what
// turns a proc-macro crate into a WebAssembly module, and the native shim
// that stands for it in a native rustc. Nothing here runs a module;
// package macroexpand does, at expansion time, and reads what this
// package writes.
//
// The build, step by step (the rules drive it through runner verbs):
//
//  1. runner macro-srcs copies the crate's sources and rewrites its root
//     (RenameAttributes, root.go): #[proc_macro], #[proc_macro_derive] and
//     #[proc_macro_attribute] become the attribute macros of
//     rules_rustc_wasm_attrs, every line keeping its number, and a block
//     is appended that holds the module's key. With --wasi-gate-cfg it
//     also rewrites the target_os = "wasi" cfgs of libraries such as
//     syn 1, which leave out proc_macro on WASI (WasiGate, wasi_gate.go).
//  2. A native rustc compiles the rewritten crate for the toolchain's
//     wasm32 WASI target into a module, lib<crate>.wasm, against
//     proc_macro_wasm's proc_macro crate. The attribute macros put an
//     exported entry beside each macro function (macroexpand.Entry) and a
//     line of the declarations beside it.
//  3. runner macro-shim reads the module's declarations back and writes
//     the shim's source (ShimSource, shim.go): a native proc-macro crate
//     with the same macros, each forwarding its expansion to the runner
//     through rules_rustc_wasm_bridge, with the module's key.
//
// What crosses into expansion time is the module file and, in it, two
// custom sections (decls.go), the contract between the two halves:
//
//   - DeclsSection (.rustc_proc_macro_decls): the macros, one a line,
//     kind:name:function[:helper,...] (FormatDecls, ParseDecls; Kind,
//     Decl);
//   - KeySection (rules_rustc_wasm.macro): "v1 <key>\n" (FormatKey,
//     ParseKey), which ties the module to its shims: a shim names the
//     module it wants by key, and the runner serves that module.
//
// The token wire between the shim's bridge and the module is expansion
// time's: macroexpand/wire.go.
package macrobuild
