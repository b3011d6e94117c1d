package deploy_test

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/app"
)

// childArgs makes this test binary run `brug ARGS…` (joined by argSep) when a
// test starts it as a child: a real process, which can be killed with -9,
// built from the same code as bin/brug.
const childArgs, argSep = "BRUG_TEST_CHILD_ARGS", "\x1f"

func TestMain(m *testing.M) {
	if args := os.Getenv(childArgs); args != "" {
		os.Exit(app.Main(strings.Split(args, argSep), os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// lockedBuffer collects a child's output for the failure message.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// brugEnv is the environment of a child: this process's, less every BRUG_
// variable, plus the given ones.
func brugEnv(args []string, vars map[string]string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "BRUG_") {
			env = append(env, kv)
		}
	}
	env = append(env, childArgs+"="+strings.Join(args, argSep))
	for k, v := range vars {
		env = append(env, k+"="+v)
	}
	return env
}

// brug runs one command of the binary to its end and returns its output; a
// exit code is returned for the caller to judge.
func brug(t *testing.T, vars map[string]string, args ...string) (string, int) {
	t.Helper()
	return brugStdin(t, vars, "", args...)
}

// brugStdin is brug with the given standard input.
func brugStdin(t *testing.T, vars map[string]string, stdin string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = brugEnv(args, vars)
	var out lockedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("brug %s: %v", args, err)
	}
	return out.String(), code
}

// replica is a running `brug serve` child.
type replica struct {
	cmd  *exec.Cmd
	base string
	out  *lockedBuffer
	done chan struct{} // closed when the process has ended
	err  error         // its Wait error, once done
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// serve starts `brug serve` on a free loopback port and waits for /readyz.
func serve(t *testing.T, vars map[string]string) *replica {
	t.Helper()
	addr := freeAddr(t)
	all := map[string]string{"BRUG_ADDR": addr, "BRUG_DATA_DIR": t.TempDir(), "BRUG_LOG_LEVEL": "error"}
	for k, v := range vars {
		all[k] = v
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = brugEnv([]string{"serve"}, all)
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := &replica{cmd: cmd, base: "http://" + addr, out: out, done: make(chan struct{})}
	go func() { r.err = cmd.Wait(); close(r.done) }()
	t.Cleanup(r.kill)
	for deadline := time.Now().Add(3 * time.Minute); ; {
		if res, err := http.Get(r.base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return r
			}
		}
		if r.ended() || time.Now().After(deadline) {
			t.Fatalf("brug serve on %s did not become ready: %s", addr, out.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// kill ends the replica with SIGKILL (no drain, no deferred work).
func (r *replica) kill() {
	_ = r.cmd.Process.Kill()
	<-r.done
}

func (r *replica) ended() bool {
	select {
	case <-r.done:
		return true
	default:
		return false
	}
}

func (r *replica) String() string { return fmt.Sprintf("replica %s", r.base) }
