;; A wasi-threads program that imports its shared memory as foo.bar (not
;; env.memory): a thread stores 42 and notifies; main waits for it and
;; exits with the stored value.
(module
  (import "foo" "bar" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (i32.atomic.store (i32.const 0) (i32.const 42))
    (drop (memory.atomic.notify (i32.const 0) (i32.const 1))))
  (func (export "_start")
    (if (i32.le_s (call $spawn (i32.const 0)) (i32.const 0))
      (then (call $exit (i32.const 99))))
    (block $done
      (loop $wait
        (br_if $done (i32.ne (i32.atomic.load (i32.const 0)) (i32.const 0)))
        (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))
        (br $wait)))
    (call $exit (i32.atomic.load (i32.const 0)))))
