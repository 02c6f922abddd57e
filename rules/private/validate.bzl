"""Refuses attribute values that would not stay one argument."""

# C0 controls and DEL. (Bazel 4's strings are bytes: a C1 control's UTF-8
# bytes would look like other text's, so only these are refused here.)
_CONTROL = "\000\001\002\003\004\005\006\007\010\011\012\013\014\015\016\017\020\021\022\023\024\025\026\027\030\031\032\033\034\035\036\037\177".elems()

def check_no_control_chars(label, attr, values):
    """Fails analysis when a value holds a control character.

    The compile's parameter file holds one argument a line: a line break in
    a feature, a flag or an environment entry would make arguments of its
    own (`-Cpanic=abort`), or end the runner's flags early (`--`).

    Args:
      label: the target, for the message.
      attr: the attribute's name, for the message.
      values: a list of strings, or a dict of strings (keys and values).
    """
    items = values.items() if type(values) == "dict" else [(v, None) for v in values]
    for key, value in items:
        for s in [key, value]:
            if s == None:
                continue
            for c in _CONTROL:
                if c in s:
                    fail("%s: attribute %s: %r holds a control character (%r); a value must stay one argument on rustc's command line" % (
                        label,
                        attr,
                        s,
                        c,
                    ))
