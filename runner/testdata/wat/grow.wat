;; Grows its memory to 256 pages (16 MiB): exit 0 if that worked, 1 if not.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (call $exit (i32.eq (memory.grow (i32.const 255)) (i32.const -1)))))
