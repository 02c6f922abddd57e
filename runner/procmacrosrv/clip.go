package procmacrosrv

// clipText is a string for a message: its first 200 bytes, since what a
// client or a macro sent may be long.
func clipText(s string) string {
	const max = 200
	if len(s) > max {
		return s[:max] + "..."
	}
	return s
}
