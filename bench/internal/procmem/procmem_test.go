package procmem

import (
	"os"
	"os/exec"
	"slices"
	"testing"
	"time"
)

func TestTreeAndMeasureIncludeChildren(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc")
	}
	child := exec.Command("sleep", "5")
	if err := child.Start(); err != nil {
		t.Skipf("cannot start sleep: %v", err)
	}
	defer func() {
		_ = child.Process.Kill() // our own child, by its pid
		_ = child.Wait()
	}()
	pids, err := Tree(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if pids[0] != os.Getpid() || !slices.Contains(pids, child.Process.Pid) {
		t.Fatalf("tree %v lacks self or child %d", pids, child.Process.Pid)
	}
	self, err := Measure(child.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	all, err := Measure(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if all.Procs < 2 || all.RSS <= self.RSS || all.HWM < all.RSS || all.RSS <= 0 {
		t.Fatalf("tree usage %+v, child %+v", all, self)
	}

	s := Sample(os.Getpid(), 10*time.Millisecond)
	time.Sleep(30 * time.Millisecond)
	peak, err := s.Stop()
	if err != nil || peak.RSS <= 0 || peak.Procs < 2 {
		t.Fatalf("sampled peak %+v, %v", peak, err)
	}
}

func TestKB(t *testing.T) {
	if v, ok := kB("VmHWM:\t  2048 kB", "VmHWM:"); !ok || v != 2048*1024 {
		t.Fatalf("got %d %v", v, ok)
	}
	if _, ok := kB("VmRSS: x kB", "VmRSS:"); ok {
		t.Fatal("garbage must not parse")
	}
}
