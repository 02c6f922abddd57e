;; Its start function never ends: instantiating it is part of the run the
;; timeout bounds.
(module
  (memory (export "memory") 1)
  (func $forever (loop $l (br $l)))
  (start $forever)
  (func (export "_start")))
