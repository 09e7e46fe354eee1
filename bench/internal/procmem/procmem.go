package procmem

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Usage is the memory of a process tree, in bytes.
type Usage struct {
	RSS, HWM, PSS int64
	Procs         int
}

// MiB renders bytes as mebibytes.
func MiB(b int64) float64 { return float64(b) / (1 << 20) }

// Tree returns root and all its descendants alive now.
func Tree(root int) ([]int, error) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil, fmt.Errorf("procmem: list /proc: %w", err)
	}
	children := map[int][]int{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		ppid, err := parentOf(pid)
		if err != nil {
			continue // exited meanwhile
		}
		children[ppid] = append(children[ppid], pid)
	}
	tree := []int{root}
	for i := 0; i < len(tree); i++ {
		tree = append(tree, children[tree[i]]...)
	}
	return tree, nil
}

// parentOf reads the ppid from /proc/pid/stat, whose second field (the
// command, in parentheses) may itself contain spaces and parentheses.
func parentOf(pid int) (int, error) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return 0, err
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("procmem: malformed stat of %d", pid)
	}
	fields := strings.Fields(string(b[i+1:]))
	if len(fields) < 2 {
		return 0, fmt.Errorf("procmem: malformed stat of %d", pid)
	}
	return strconv.Atoi(fields[1])
}

// Measure sums the memory of root's tree. Processes that vanish while
// being read are skipped; the root itself must be readable.
func Measure(root int) (Usage, error) {
	pids, err := Tree(root)
	if err != nil {
		return Usage{}, err
	}
	var u Usage
	for _, pid := range pids {
		rss, hwm, err := status(pid)
		if err != nil {
			if pid == root {
				return Usage{}, err
			}
			continue
		}
		u.RSS += rss
		u.HWM += hwm
		u.PSS += pss(pid)
		u.Procs++
	}
	return u, nil
}

// status reads VmRSS and VmHWM (kB) from /proc/pid/status.
func status(pid int) (rss, hwm int64, err error) {
	f, err := os.Open(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return 0, 0, fmt.Errorf("procmem: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := kB(sc.Text(), "VmRSS:"); ok {
			rss = v
		} else if v, ok := kB(sc.Text(), "VmHWM:"); ok {
			hwm = v
		}
	}
	return rss, hwm, sc.Err()
}

// pss reads Pss from /proc/pid/smaps_rollup; 0 when the kernel lacks it.
func pss(pid int) int64 {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "smaps_rollup"))
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := kB(line, "Pss:"); ok {
			return v
		}
	}
	return 0
}

// kB parses "Name:   1234 kB" into bytes.
func kB(line, name string) (int64, bool) {
	rest, ok := strings.CutPrefix(line, name)
	if !ok {
		return 0, false
	}
	f := strings.Fields(rest)
	if len(f) == 0 {
		return 0, false
	}
	n, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		return 0, false
	}
	return n * 1024, true
}

// Sampler measures a tree periodically and keeps the largest sums seen.
type Sampler struct {
	stop chan struct{}
	done chan struct{}
	mu   sync.Mutex
	peak Usage
	err  error
}

// Sample starts measuring root's tree every interval until Stop.
func Sample(root int, every time.Duration) *Sampler {
	s := &Sampler{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			s.take(root)
			select {
			case <-s.stop:
				s.take(root)
				return
			case <-t.C:
			}
		}
	}()
	return s
}

func (s *Sampler) take(root int) {
	u, err := Measure(root)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.err = err
		return
	}
	s.peak.RSS = max(s.peak.RSS, u.RSS)
	s.peak.PSS = max(s.peak.PSS, u.PSS)
	s.peak.HWM = max(s.peak.HWM, u.HWM)
	s.peak.Procs = max(s.peak.Procs, u.Procs)
}

// Stop ends sampling and returns the peaks (RSS and PSS: largest sums
// sampled; HWM: the tree's summed VmHWM at the last sample).
func (s *Sampler) Stop() (Usage, error) {
	close(s.stop)
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.peak.Procs == 0 && s.err != nil {
		return Usage{}, s.err
	}
	return s.peak, nil
}
