package worker

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
)

// ServeOneByOne answers proto requests from r on w one at a time, as a
// child process of a worker does (see Pool): no multiplexing,
// no cancel requests (its parent kills it to cancel), the output capped
// as Serve caps it. After each response it calls after, which may end the
// process. It returns nil at the end of the input.
func ServeOneByOne(ctx context.Context, r io.Reader, w io.Writer, handle Handler, after func()) error {
	c := &protoCodec{r: bufio.NewReader(r), w: w}
	for {
		req, err := c.read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading a work request: %w", err)
		}
		out := &cappedBuffer{max: MaxOutput}
		code := handle(ctx, req, out)
		if err := c.write(&Response{ExitCode: int32(code), Output: out.String(), RequestID: req.RequestID}); err != nil {
			return fmt.Errorf("writing the response: %w", err)
		}
		after()
	}
}
