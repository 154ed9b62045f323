package main

import (
	"bufio"
	"debug/elf"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// repoRoot is where the Dockerfile and the build context are.
const repoRoot = "../.."

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	cmd  string // upper case: FROM, RUN, ...
	args string
}

// stage is one FROM ... up to the next FROM.
type stage struct {
	from string
	ins  []instruction
}

func (s stage) all(cmd string) []string {
	var out []string
	for _, in := range s.ins {
		if in.cmd == cmd {
			out = append(out, in.args)
		}
	}
	return out
}

func parseDockerfile(t *testing.T) []stage {
	t.Helper()
	f, err := os.Open(filepath.Join(repoRoot, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var stages []stage
	var cur strings.Builder
	sc := bufio.NewScanner(f)
	flush := func() {
		line := strings.TrimSpace(cur.String())
		cur.Reset()
		if line == "" {
			return
		}
		cmd, args, _ := strings.Cut(line, " ")
		in := instruction{cmd: strings.ToUpper(cmd), args: strings.TrimSpace(args)}
		if in.cmd == "FROM" {
			stages = append(stages, stage{from: in.args})
			return
		}
		if len(stages) == 0 {
			if in.cmd != "ARG" {
				t.Fatalf("Dockerfile: %s before the first FROM", in.cmd)
			}
			return
		}
		stages[len(stages)-1].ins = append(stages[len(stages)-1].ins, in)
	}
	for sc.Scan() {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "#") || trimmed == "" && cur.Len() == 0 {
			continue
		}
		if strings.HasSuffix(line, `\`) {
			cur.WriteString(strings.TrimSuffix(line, `\`) + " ")
			continue
		}
		cur.WriteString(line)
		flush()
	}
	flush()
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return stages
}

// jsonArgs reads an exec-form argument list: ["a", "b"].
func jsonArgs(t *testing.T, what, s string) []string {
	t.Helper()
	var out []string
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		t.Errorf("%s %s: not the exec (JSON) form: %v", what, s, err)
	}
	return out
}

// goBuildLine is the build stage's RUN line that builds the binary.
var goBuildLine = regexp.MustCompile(`^CGO_ENABLED=0 go build `)

// buildCommand returns the environment and the go build arguments of the
// Dockerfile's build stage.
func buildCommand(t *testing.T, stages []stage) (env, args []string) {
	t.Helper()
	for _, run := range stages[0].all("RUN") {
		if !goBuildLine.MatchString(run) {
			continue
		}
		words := shellWords(t, run)
		for len(words) > 0 && strings.Contains(words[0], "=") {
			env = append(env, words[0])
			words = words[1:]
		}
		return env, words
	}
	t.Fatalf("the build stage has no RUN line matching %s", goBuildLine)
	return nil, nil
}

// shellWords splits a simple shell command: words, "double quotes", no
// other shell syntax (the test fails on && ; | so the line stays simple).
func shellWords(t *testing.T, s string) []string {
	t.Helper()
	var words []string
	var w strings.Builder
	inWord, quoted := false, false
	for _, r := range s {
		switch {
		case r == '"':
			quoted = !quoted
			inWord = true
		case !quoted && (r == ' ' || r == '\t'):
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		case !quoted && strings.ContainsRune("&;|<>`'", r):
			t.Fatalf("the go build line uses shell syntax %q: keep it one plain command: %s", r, s)
		default:
			w.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, w.String())
	}
	return words
}

// TestDockerfile checks what the issue asks of the image: multi-stage,
// static and stamped build, non-root runtime, /data volume, health check
// on /readyz through the binary, the exact ENTRYPOINT and CMD.
func TestDockerfile(t *testing.T) {
	stages := parseDockerfile(t)
	if len(stages) < 2 {
		t.Fatalf("Dockerfile has %d stages; want a build stage and a runtime stage", len(stages))
	}
	if !strings.HasSuffix(stages[0].from, " AS build") {
		t.Errorf("first stage FROM %s; want a stage named build", stages[0].from)
	}
	env, args := buildCommand(t, stages)
	if !slices.Contains(env, "CGO_ENABLED=0") {
		t.Errorf("go build environment %v; want CGO_ENABLED=0", env)
	}
	joined := strings.Join(args, " ")
	for _, want := range []string{"-trimpath", "-X main.version=${VERSION}", "./cmd/casebook"} {
		if !strings.Contains(joined, want) {
			t.Errorf("go build %s: missing %s", joined, want)
		}
	}

	rt := stages[len(stages)-1]
	if !strings.Contains(rt.from, "distroless/static") {
		t.Errorf("runtime FROM %s; want a minimal static image (distroless/static)", rt.from)
	}
	last := func(cmd string) string {
		v := rt.all(cmd)
		if len(v) == 0 {
			t.Errorf("runtime stage has no %s", cmd)
			return ""
		}
		return v[len(v)-1]
	}
	user := last("USER")
	uid, _, _ := strings.Cut(user, ":")
	if uid == "" || uid == "0" || uid == "root" || strings.Trim(uid, "0123456789") != "" {
		t.Errorf("USER %s; want a numeric non-root user (Kubernetes runAsNonRoot checks the number)", user)
	}
	if got := last("VOLUME"); !slices.Equal(jsonArgs(t, "VOLUME", got), []string{"/data"}) {
		t.Errorf("VOLUME %s; want [\"/data\"]", got)
	}
	if got := last("EXPOSE"); got != "8080" {
		t.Errorf("EXPOSE %s; want 8080", got)
	}
	hc := last("HEALTHCHECK")
	_, hcCmd, found := strings.Cut(hc, "CMD ")
	if !found || !slices.Equal(jsonArgs(t, "HEALTHCHECK CMD", hcCmd), []string{"casebook", "healthcheck"}) {
		t.Errorf("HEALTHCHECK %s; want CMD [\"casebook\", \"healthcheck\"]", hc)
	}
	if got := jsonArgs(t, "ENTRYPOINT", last("ENTRYPOINT")); !slices.Equal(got, []string{"casebook"}) {
		t.Errorf("ENTRYPOINT %q; want [\"casebook\"]", got)
	}
	if got := jsonArgs(t, "CMD", last("CMD")); !slices.Equal(got, []string{"serve", "--config", "/etc/casebook/casebook.yaml"}) {
		t.Errorf("CMD %q; want [\"serve\", \"--config\", \"/etc/casebook/casebook.yaml\"]", got)
	}
	var copied bool
	for _, c := range rt.all("COPY") {
		copied = copied || strings.HasSuffix(c, " /usr/local/bin/casebook")
	}
	if !copied {
		t.Error("runtime stage does not COPY the binary to /usr/local/bin/casebook (on PATH, so ENTRYPOINT [\"casebook\"] finds it)")
	}
	envs := strings.Join(rt.all("ENV"), " ")
	for _, want := range []string{"CASEBOOK_INDEX=/data/index", "CASEBOOK_ADDR=0.0.0.0:8080"} {
		if !strings.Contains(envs, want) {
			t.Errorf("runtime ENV %s: missing %s", envs, want)
		}
	}

	ignore, err := os.ReadFile(filepath.Join(repoRoot, ".dockerignore"))
	if err != nil {
		t.Fatalf(".dockerignore: %v", err)
	}
	lines := strings.Split(string(ignore), "\n")
	for _, want := range []string{".git", "/casebook", "*.test"} {
		if !slices.Contains(lines, want) {
			t.Errorf(".dockerignore does not exclude %s", want)
		}
	}
}

// TestDockerBinary builds the binary exactly as the Dockerfile's build
// stage does, checks it is static and stamped, and runs it as the image
// does (the image's ENV, its CMD with the config path moved): /readyz
// answers 200 and `casebook healthcheck`, the image's HEALTHCHECK, passes.
func TestDockerBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	stages := parseDockerfile(t)
	env, args := buildCommand(t, stages)
	const stamp = "v9.9.9-dockertest"
	bin := filepath.Join(t.TempDir(), "casebook")
	for i, a := range args {
		args[i] = strings.ReplaceAll(a, "${VERSION}", stamp)
		if i > 0 && args[i-1] == "-o" {
			args[i] = bin
		}
	}
	build := exec.Command(args[0], args[1:]...)
	build.Dir = repoRoot
	build.Env = append(os.Environ(), env...)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
	}

	if f, err := elf.Open(bin); err == nil {
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP {
				t.Error("the binary is dynamically linked (has an ELF interpreter); the distroless/static image cannot run it")
			}
		}
		f.Close()
	}
	out, err := exec.Command(bin, "version").Output()
	if got, want := strings.TrimSpace(string(out)), "casebook "+stamp; err != nil || got != want {
		t.Errorf("version = %q, %v; want %q", got, err, want)
	}

	// The image's CMD, with the config somewhere the test may write.
	data := t.TempDir()
	cfg := filepath.Join(t.TempDir(), "casebook.yaml")
	if err := os.WriteFile(cfg, []byte("index: ./ignored-because-CASEBOOK_INDEX-is-set\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmdArgs := jsonArgs(t, "CMD", stages[len(stages)-1].all("CMD")[0])
	for i, a := range cmdArgs {
		if a == "/etc/casebook/casebook.yaml" {
			cmdArgs[i] = cfg
		}
	}
	addr := freeAddr(t)
	serve := exec.Command(bin, cmdArgs...)
	serve.Env = append(os.Environ(), "CASEBOOK_INDEX="+filepath.Join(data, "index"), "CASEBOOK_ADDR="+addr)
	stdout, err := serve.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr syncBuffer
	serve.Stderr = &stderr
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		serve.Process.Signal(os.Interrupt)
		serve.Wait()
	}()
	lines := bufio.NewScanner(stdout)
	base := ""
	for base == "" && lines.Scan() {
		if m := servingURL.FindStringSubmatch(lines.Text() + "\n"); m != nil {
			base = m[1]
		}
	}
	if base == "" {
		t.Fatalf("serve printed no URL; stderr:\n%s", stderr.String())
	}
	go io.Copy(io.Discard, stdout)

	resp, err := http.Get(base + "readyz")
	if err != nil {
		t.Fatalf("GET /readyz: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("/readyz = %d; want 200", resp.StatusCode)
	}
	var health struct{ Version string }
	if code := getJSON(t, base+"healthz", &health); code != 200 || health.Version != stamp {
		t.Errorf("/healthz = %d version %q; want 200 %q", code, health.Version, stamp)
	}
	// HEALTHCHECK: the binary reads CASEBOOK_ADDR as the image sets it.
	hc := exec.Command(bin, "healthcheck")
	hc.Env = append(os.Environ(), "CASEBOOK_ADDR="+addr)
	if out, err := hc.CombinedOutput(); err != nil {
		t.Errorf("healthcheck against a ready server: %v\n%s", err, out)
	}
	down := exec.Command(bin, "healthcheck", "--addr", freeAddr(t))
	if out, err := down.CombinedOutput(); down.ProcessState == nil || down.ProcessState.ExitCode() != 1 {
		t.Errorf("healthcheck against nothing = %v; want exit 1\n%s", err, out)
	}
}

// freeAddr returns a loopback address nothing listens on at the moment.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestDockerfileLint runs a Dockerfile linter when one is installed:
// hadolint, else dockerfilelint (npm install -g dockerfilelint).
func TestDockerfileLint(t *testing.T) {
	for _, linter := range []string{"hadolint", "dockerfilelint"} {
		path, err := exec.LookPath(linter)
		if err != nil {
			continue
		}
		cmd := exec.Command(path, "Dockerfile")
		cmd.Dir = repoRoot
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s Dockerfile: %v\n%s", linter, err, out)
		}
		return
	}
	t.Skip("no Dockerfile linter on PATH (hadolint, or dockerfilelint: npm install -g dockerfilelint)")
}
