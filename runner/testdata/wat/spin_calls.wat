;; Never ends, but calls the host on every iteration (as a compiler does):
;; a run that is over stops it at its next call.
(module
  (import "wasi_snapshot_preview1" "sched_yield" (func $yield (result i32)))
  (memory (export "memory") 1)
  (func (export "_start") (loop $l (drop (call $yield)) (br $l))))
