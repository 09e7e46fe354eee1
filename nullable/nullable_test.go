package nullable

import (
	"encoding/json"
	"testing"
)

func TestThreeStates(t *testing.T) {
	type body struct {
		ClusterID Value[int64] `json:"cluster_id"`
	}
	cases := []struct {
		in              string
		set, null       bool
		want            int64
		wantPtrNil      bool
		wantMarshalling string
	}{
		{in: `{}`, wantPtrNil: true, wantMarshalling: `{"cluster_id":null}`},
		{in: `{"cluster_id": null}`, set: true, null: true, wantPtrNil: true, wantMarshalling: `{"cluster_id":null}`},
		{in: `{"cluster_id": 7}`, set: true, want: 7, wantMarshalling: `{"cluster_id":7}`},
	}
	for _, c := range cases {
		var b body
		if err := json.Unmarshal([]byte(c.in), &b); err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		if b.ClusterID.Set != c.set || b.ClusterID.Null != c.null || b.ClusterID.V != c.want {
			t.Errorf("%s: got %+v", c.in, b.ClusterID)
		}
		if (b.ClusterID.Ptr() == nil) != c.wantPtrNil {
			t.Errorf("%s: Ptr() = %v", c.in, b.ClusterID.Ptr())
		}
		out, _ := json.Marshal(b)
		if string(out) != c.wantMarshalling {
			t.Errorf("%s: marshalled %s", c.in, out)
		}
	}
	var b body
	if err := json.Unmarshal([]byte(`{"cluster_id": "x"}`), &b); err == nil {
		t.Error("a string for an int field was accepted")
	}
}

func TestConstructors(t *testing.T) {
	if v := Of(3); !v.Set || v.Null || *v.Ptr() != 3 {
		t.Errorf("Of(3) = %+v", v)
	}
	if v := Null[int](); !v.Set || !v.Null || v.Ptr() != nil {
		t.Errorf("Null() = %+v", v)
	}
}
