package system

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"text/template"
	"text/template/parse"

	"github.com/igny8/igny8-go/errs"
)

// Rendering limits. Prompts are written by tenants and rendered by shared
// workers, and text/template is Turing-complete enough to spin for hours
// (recursive templates, nested ranges over numbers) or to allocate
// gigabytes (printf widths); the subset below keeps every render small.
const (
	// MaxRenderedLen bounds a rendered prompt (far above any model's
	// context window).
	MaxRenderedLen = 1 << 20
	// maxRangeDepth bounds nested ranges: a list, or a list of lists.
	maxRangeDepth = 2
)

// promptFuncs are the built-in template functions a prompt may call. Left
// out: printf (huge widths), call (runs arbitrary functions), html, js,
// urlquery (meaningless in a prompt).
var promptFuncs = map[string]bool{
	"and": true, "or": true, "not": true,
	"eq": true, "ne": true, "lt": true, "le": true, "gt": true, "ge": true,
	"len": true, "index": true, "slice": true, "print": true, "println": true,
}

// promptName names every parsed prompt, so errors read
// "template: prompt:3: …".
const promptName = "prompt"

// parsePrompt parses text as a prompt template and checks it stays within
// the safe subset. Problems are errs.Invalid naming "prompt".
func parsePrompt(text string) (*template.Template, error) {
	tmpl, err := template.New(promptName).Option("missingkey=error").Parse(text)
	if err != nil {
		return nil, errs.Field("prompt", "is not a valid template: "+err.Error())
	}
	for _, def := range tmpl.Templates() {
		if def.Name() != promptName {
			return nil, errs.Field("prompt", fmt.Sprintf("may not define templates (found %q)", def.Name()))
		}
	}
	if tmpl.Tree == nil || tmpl.Tree.Root == nil {
		return nil, errs.Field("prompt", "is empty")
	}
	if err := checkNode(tmpl.Tree.Root, 0); err != nil {
		return nil, errs.Field("prompt", err.Error())
	}
	return tmpl, nil
}

// checkNode walks a parsed template and rejects what the subset forbids.
func checkNode(node parse.Node, ranges int) error {
	switch n := node.(type) {
	case *parse.ListNode:
		if n == nil {
			return nil
		}
		for _, c := range n.Nodes {
			if err := checkNode(c, ranges); err != nil {
				return err
			}
		}
		return nil
	case *parse.ActionNode:
		return checkPipe(n.Pipe, false)
	case *parse.IfNode:
		return checkBranch(&n.BranchNode, ranges, false)
	case *parse.WithNode:
		return checkBranch(&n.BranchNode, ranges, false)
	case *parse.RangeNode:
		if ranges >= maxRangeDepth {
			return fmt.Errorf("may nest range at most %d deep (range %s)", maxRangeDepth, n.Pipe)
		}
		if !rangesOverData(n.Pipe) {
			return fmt.Errorf("may only range over a variable, such as {{range .keywords}} (%s)", n.Pipe)
		}
		return checkBranch(&n.BranchNode, ranges, true)
	case *parse.TemplateNode:
		return fmt.Errorf("may not call templates (%s)", n)
	case *parse.TextNode, *parse.CommentNode, *parse.BreakNode, *parse.ContinueNode:
		return nil
	}
	return fmt.Errorf("may not use %s", node)
}

// checkBranch checks an if, with or range: its pipeline, then its bodies;
// the range body counts one level deeper.
func checkBranch(b *parse.BranchNode, ranges int, isRange bool) error {
	if err := checkPipe(b.Pipe, isRange); err != nil {
		return err
	}
	inner := ranges
	if isRange {
		inner++
	}
	if err := checkNode(b.List, inner); err != nil {
		return err
	}
	return checkNode(b.ElseList, ranges)
}

// checkPipe checks a pipeline. Variables may be declared only by range
// ({{range $i, $k := .keywords}}), so every variable holds the caller's data
// and range can never be handed a number a prompt made up.
func checkPipe(p *parse.PipeNode, declOK bool) error {
	if p == nil {
		return nil
	}
	if len(p.Decl) > 0 && !declOK {
		return fmt.Errorf("may declare variables only in range (%s)", p)
	}
	for _, cmd := range p.Cmds {
		for _, arg := range cmd.Args {
			if err := checkArg(arg); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkArg(arg parse.Node) error {
	switch a := arg.(type) {
	case *parse.IdentifierNode:
		if !promptFuncs[a.Ident] {
			return fmt.Errorf("may not call %s", a.Ident)
		}
	case *parse.PipeNode:
		return checkPipe(a, false)
	case *parse.ChainNode:
		return checkArg(a.Node)
	}
	return nil
}

// rangesOverData reports whether a range pipeline is one plain reference to
// data: .field, $var, $var.field, . or a parenthesised chain of those.
func rangesOverData(p *parse.PipeNode) bool {
	if p == nil || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 1 {
		return false
	}
	return isData(p.Cmds[0].Args[0])
}

func isData(n parse.Node) bool {
	switch a := n.(type) {
	case *parse.FieldNode, *parse.VariableNode, *parse.DotNode:
		return true
	case *parse.ChainNode:
		return isData(a.Node)
	case *parse.PipeNode:
		return rangesOverData(a)
	}
	return false
}

// errRenderTooLong stops a render that passes MaxRenderedLen.
var errRenderTooLong = errors.New("rendered prompt too long")

// cappedBuilder is a strings.Builder that refuses to grow past
// MaxRenderedLen.
type cappedBuilder struct{ strings.Builder }

func (b *cappedBuilder) Write(p []byte) (int, error) {
	if b.Len()+len(p) > MaxRenderedLen {
		return 0, errRenderTooLong
	}
	return b.Builder.Write(p)
}

var missingKey = regexp.MustCompile(`map has no entry for key "([^"]*)"`)

// RenderPrompt renders a prompt (a Go text/template) with vars, e.g.
// {{.keywords}} or {{range .keywords}}- {{.}}{{end}}. Referring to a
// variable that is not in vars is errs.Invalid naming "prompt" and the
// variable (missingkey=error), as is a template outside the safe subset:
//
//   - no {{define}}, {{block}} or {{template}};
//   - variables declared only by range ({{range $i, $k := .keywords}});
//   - range only over data (.field, $var, .), at most two levels deep;
//   - functions: and, or, not, eq, ne, lt, le, gt, ge, len, index, slice,
//     print, println;
//   - the result is at most MaxRenderedLen bytes.
func RenderPrompt(text string, vars map[string]any) (string, error) {
	tmpl, err := parsePrompt(text)
	if err != nil {
		return "", err
	}
	var b cappedBuilder
	if err := tmpl.Execute(&b, vars); err != nil {
		if errors.Is(err, errRenderTooLong) {
			return "", errs.Field("prompt", fmt.Sprintf("renders to more than %d bytes", MaxRenderedLen))
		}
		if m := missingKey.FindStringSubmatch(err.Error()); m != nil {
			return "", errs.Field("prompt", fmt.Sprintf("uses unknown variable %q", m[1]))
		}
		return "", errs.Field("prompt", "cannot be rendered: "+err.Error())
	}
	return b.String(), nil
}

// RenderPrompt is the package's RenderPrompt, for callers holding a Service.
func (s *Service) RenderPrompt(text string, vars map[string]any) (string, error) {
	return RenderPrompt(text, vars)
}
