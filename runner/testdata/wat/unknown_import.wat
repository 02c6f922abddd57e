;; Imports a function the runner does not provide.
(module
  (import "env" "frobnicate" (func (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")))
