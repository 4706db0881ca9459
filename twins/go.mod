module twinverse/twins

go 1.26.0

require (
	github.com/dlclark/regexp2/v2 v2.13.0
	golang.org/x/text v0.44.0
	gopkg.in/yaml.v3 v3.0.1
)
