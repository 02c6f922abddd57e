;; Spawns 5 threads that return at once; exits with the number of spawns
;; refused (a negative result).
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (func (export "wasi_thread_start") (param i32 i32))
  (func (export "_start") (local $i i32) (local $refused i32)
    (loop $l
      (if (i32.lt_s (call $spawn (i32.const 0)) (i32.const 0))
        (then (local.set $refused (i32.add (local.get $refused) (i32.const 1)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 5))))
    (call $exit (local.get $refused))))
