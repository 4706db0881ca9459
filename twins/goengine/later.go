package goengine

import "fmt"

// Later runs work after the request being served has answered, as a vendor's background job does (an Okta event
// hook's delivery). It runs in its own goroutine and waits for the twin's lock, which the request holds until it has
// answered, so the work sees the request's outcome (its writes kept, or taken back) and runs alone like a request.
// The work returns whether it changed the state; a change is saved to the --data file as a request's would be.
// Work that talks to the network should do so outside the lock: call Later again for what follows its answer.
func (t *Twin) Later(work func() bool) {
	go func() {
		t.mu.Lock()
		defer t.mu.Unlock()
		if work() && t.data != nil {
			if err := t.data.save(t.Store.Export()); err != nil {
				fmt.Fprintf(t.log, "[twinverse] %s twin: could not save what a background job changed: %v\n", t.def.Name, err)
			}
		}
	}()
}
