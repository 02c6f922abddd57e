;; stack_overflow.wat: recursion without end; wazero traps with a stack overflow.
(module $deep
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func $recurse (param i32) (result i32)
    local.get 0
    i32.const 1
    i32.add
    call $recurse)
  (func (export "_start")
    i32.const 0
    call $recurse
    drop))
