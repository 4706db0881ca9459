package goengine

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// dataFile is --data: the file the TypeScript twin writes ({ twinverse: 1, twins: { <name>: export } } and its
// change log, file.log). The Go twin reads both, and writes the snapshot whole after every change (then empties
// the log), so either backend can go on from a file the other left.
type dataFile struct {
	path string
	twin string
	doc  *Object
}

func refuseData(path, why string) error {
	return fmt.Errorf("[twinverse] data file %s: %s; refusing to use it, so it is left as it is (move it away or fix it)", path, why)
}

// openData opens (or prepares) a data file and returns the saved export of the twin, if any.
func openData(path, twin string) (*dataFile, *Object, error) {
	folder := filepath.Dir(path)
	if info, err := os.Stat(folder); err != nil || !info.IsDir() {
		return nil, nil, fmt.Errorf("[twinverse] data file %s: the folder %s does not exist; create it or choose another path", path, folder)
	}
	_ = os.Remove(filepath.Join(folder, "."+filepath.Base(path)+".tmp"))
	d := &dataFile{path: path, twin: twin, doc: NewObject("twinverse", float64(1), "twins", NewObject())}
	text, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, nil, refuseData(path, err.Error())
	}
	if len(bytes.TrimSpace(text)) > 0 {
		v, err := Parse(text, 4*MaxJSONDepth)
		doc, ok := v.(*Object)
		if err != nil || !ok || doc.Obj("twins") == nil {
			return nil, nil, refuseData(path, "it is not a twinverse data file")
		}
		d.doc = doc
	}
	if err := d.replay(); err != nil {
		return nil, nil, err
	}
	return d, d.doc.Obj("twins").Obj(twin), nil
}

// replay applies the change log a TypeScript twin left; a last line cut short by a kill was never acknowledged.
func (d *dataFile) replay() error {
	f, err := os.Open(d.path + ".log")
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return refuseData(d.path, err.Error())
	}
	defer f.Close()
	reader := bufio.NewReader(f)
	for n := 1; ; n++ {
		line, err := reader.ReadBytes('\n')
		if err != nil {
			break
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		v, perr := Parse(line, 4*MaxJSONDepth)
		entry, ok := v.(*Object)
		if perr != nil || !ok {
			return refuseData(d.path, fmt.Sprintf("line %d of its change log %s.log is not JSON", n, d.path))
		}
		export := d.doc.Obj("twins").Obj(entry.Str("twin"))
		if export == nil {
			continue
		}
		state := export.Obj("state")
		for _, c := range entry.Arr("changes") {
			applyChange(state, asObject(c))
		}
		if ids := entry.Obj("ids"); ids != nil {
			export.Set("ids", ids)
		}
	}
	return nil
}

func applyChange(state *Object, change *Object) {
	path := change.Arr("path")
	if len(path) == 0 {
		return
	}
	node := state
	for _, p := range path[:len(path)-1] {
		key, _ := p.(string)
		next := node.Obj(key)
		if next == nil {
			next = NewObject()
			node.Set(key, next)
		}
		node = next
	}
	last, _ := path[len(path)-1].(string)
	if deleted, _ := change.Get("deleted"); deleted == true {
		node.Delete(last)
		return
	}
	v, _ := change.Get("value")
	node.Set(last, v)
}

// save writes the snapshot atomically (a temporary file renamed over it), then empties the change log.
func (d *dataFile) save(export *Object) error {
	d.doc.Obj("twins").Set(d.twin, export)
	tmp := filepath.Join(filepath.Dir(d.path), "."+filepath.Base(d.path)+".tmp")
	if err := os.WriteFile(tmp, Marshal(d.doc), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, d.path); err != nil {
		return err
	}
	if err := os.Truncate(d.path+".log", 0); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// UseData makes the twin keep its state in a --data file, loading what the file saved for it.
func (t *Twin) UseData(path string) error {
	d, saved, err := openData(path, t.def.Name)
	if err != nil {
		return err
	}
	if saved != nil {
		if err := t.Import(saved); err != nil {
			return fmt.Errorf("%v (in data file %s)", err, path)
		}
	}
	t.data = d
	return d.save(t.Store.Export())
}
