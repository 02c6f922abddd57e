// goprog is a GOOS=wasip1 program the runner's tests run: each mode
// exercises one part of WASI and prints what it saw.
package main

import (
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"time"
)

func check(err error) {
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(3)
	}
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: goprog MODE [ARGS]")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "args":
		for _, a := range os.Args {
			fmt.Println(a)
		}
	case "env":
		env := os.Environ()
		sort.Strings(env)
		for _, e := range env {
			fmt.Println(e)
		}
	case "exit":
		n, err := strconv.Atoi(os.Args[2])
		check(err)
		fmt.Fprintln(os.Stderr, "exiting with", n)
		os.Exit(n)
	case "cat":
		_, err := io.Copy(os.Stdout, os.Stdin)
		check(err)
	case "files":
		// Create, append, read back, stat, rename, mkdir, readdir, remove.
		check(os.WriteFile("a.txt", []byte("hello "), 0o644))
		f, err := os.OpenFile("a.txt", os.O_APPEND|os.O_WRONLY, 0)
		check(err)
		_, err = f.WriteString("world\n")
		check(err)
		check(f.Close())
		b, err := os.ReadFile("a.txt")
		check(err)
		fmt.Printf("read: %q\n", b)
		fi, err := os.Stat("a.txt")
		check(err)
		fmt.Println("size:", fi.Size(), "dir:", fi.IsDir())
		check(os.MkdirAll("sub/deeper", 0o755))
		check(os.Rename("a.txt", "sub/b.txt"))
		_, err = os.Stat("a.txt")
		fmt.Println("old name gone:", os.IsNotExist(err))
		check(os.WriteFile("sub/c.txt", nil, 0o644))
		ents, err := os.ReadDir("sub")
		check(err)
		for _, e := range ents {
			fmt.Println("entry:", e.Name(), e.IsDir())
		}
		check(os.Remove("sub/c.txt"))
		check(os.Remove("sub/deeper"))
		err = os.Remove("sub")
		fmt.Println("remove non-empty dir fails:", err != nil)
		_, err = os.ReadFile("missing.txt")
		fmt.Println("missing is not-exist:", os.IsNotExist(err))
	case "readonly":
		err := os.WriteFile("new.txt", []byte("x"), 0o644)
		fmt.Println("write refused:", err != nil)
		b, err := os.ReadFile("existing.txt")
		check(err)
		fmt.Printf("read: %q\n", b)
	case "clock":
		var r [16]byte
		_, err := rand.Read(r[:])
		check(err)
		fmt.Println(time.Now().UTC().Format(time.RFC3339), fmt.Sprintf("%x", r))
	case "sleep":
		d, err := time.ParseDuration(os.Args[2])
		check(err)
		time.Sleep(d)
		fmt.Println("slept")
	default:
		fmt.Fprintln(os.Stderr, "unknown mode", os.Args[1])
		os.Exit(2)
	}
}
