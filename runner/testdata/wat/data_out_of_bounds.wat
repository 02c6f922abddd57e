;; Its memory is made, then its second data segment lies past the memory's
;; end: instantiating it fails after the memory exists.
(module
  (memory (export "memory") 256)
  (data (i32.const 0) "x")
  (data (i32.const 16777216) "y")
  (func (export "_start")))
