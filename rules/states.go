package rules

// States says what a rule does with a deployment in each of the four cases
// that decide most verdicts: its version unchanged since the base, changed
// (upgraded, downgraded or added), ephemeral (CI service containers and
// testcontainers, which hold no data), and newer than the release catalog.
// docs/rules.md shows it for every rule, and a test keeps an entry for each
// one in the registry.
type States struct {
	Unchanged, Changed, Ephemeral, Newer string
}

const (
	notPath  = "nothing: the rule judges a move, and there is none"
	skipped  = "skipped: it holds no data to migrate"
	asAny    = "judged like any version: it counts as the newest patch of its minor"
	notDeply = "not about a deployment's version: the same in every case"
	live     = "a live check of a running cluster (`wvlint preflight`), not of files: the cases do not apply"
)

// RuleStates is the table, by rule ID.
var RuleStates = map[string]States{
	"WV1001": {notPath, "error when an upgrade skips a minor; a floating tag is judged as the release it stands for", skipped, "the newest patch of its minor; a minor past the catalog gets the path through the catalog's latest patches"},
	"WV1002": {"note", "warning when the version moved to is not its minor's latest patch; a note for a deployment with nothing to compare with", "the same as any deployment", "nothing: it is the newest patch of its minor"},
	"WV1003": {notPath, "on an upgrade: error without a backup module, warning without a backup recorded by this change (a comment already there at the base does not count)", skipped, asAny},
	"WV1004": {notPath, "on a downgrade into 1.27 below 1.27.26 from a version with the new Raft snapshots: error on several nodes, warning on one or unknown", skipped, "a version newer than the catalog has the new snapshots"},
	"WV1005": {notPath, "warning on any other downgrade, with the plan's steps", skipped, asAny},
	"WV1006": {notPath, "on an upgrade across 1.25: a note on Docker; on Kubernetes an error when the chart or a multi-node pod policy is not ready, else a warning with the steps", skipped, asAny},
	"WV1007": {notPath, "note on an upgrade to 1.26 or later from 1.25 or later", skipped, asAny},
	"WV1008": {notPath, "warning on an upgrade from below 1.23.13", skipped, asAny},
	"WV1009": {notPath, "error on a downgrade the data cannot follow; warning on a downgrade from 1.39 to a patch whose first start serves a partial vector index (1.36.10-1.36.12 and the like)", skipped, asAny},
	"WV2001": {"warning: the tag floats whether or not this change wrote it", "warning that names the release the tag stands for today", "the same: a test that floats tests a different server each run", "a floating tag is resolved through the catalog as it is; refresh it to follow newer releases"},
	"WV2002": {"the same as changed: a version that cannot be read or cannot exist is never checked", "error for a version the catalog shows cannot exist or text that cannot be read; warning for a digest-only image", "the same as any deployment", "note that says so and names `wvlint releases update`; a Helm chart newer than the chart table too"},
	"WV2003": {"warning", "warning", "exempt: pre-releases and preview builds belong in tests", "a pre-release is still a pre-release"},
	"WV2004": {"warning while the nodes of one cluster differ", "warning while the nodes of one cluster differ", "the same as any deployment", "compared as written"},
	"WV2005": {"note: the change does not make the minor unmaintained", "warning, or a note when the move is the right next step (the latest patch of the running minor or of the next one)", skipped, "nothing: not judged until the catalog lists the version"},
	"WV2006": {"note", "warning when a patch of the same minor fixes the issue; a note that names the minor when only a later minor does", skipped, "judged against the table's ranges; a fix newer than the catalog is not offered"},
	"WV2007": {"error: the pull fails whether or not this change wrote the tag", "error", "error too: the pull fails in CI as well", "the same: the leading v is the problem, not the version"},
	"WV3001": {"warning", "warning", skipped, "the same: it is about the backup module"},
	"WV3002": {"warning: the setting does nothing on the version that runs", "warning for the version moved to", skipped, "claims a removal only for variables gone for at least a minor"},
	"WV3003": {"warning", "warning", "only compose services are checked; CI service containers are not", "judged like 1.25 or later"},
	"WV3004": {"error or note as the settings say: they are read at every start", "the same", "the same as any deployment", "judged like 1.25 or later"},
	"WV3005": {"error: the module fails at every start", "error", skipped, "the same: it is about the module's settings"},
	"WV4001": {live, live, live, live},
	"WV4002": {live, live, live, live},
	"WV4003": {live, live, live, live},
	"WV4004": {live, live, live, live},
	"WV4005": {live, live, live, live},
	"WV4006": {live, live, live, live},
	"WV4007": {live, live, live, live},
	"WV4008": {live, live, live, live},
	"WV9001": {notDeply, notDeply, notDeply, notDeply},
	"WV9002": {notDeply, notDeply, notDeply, notDeply},
	"WV9003": {notDeply, notDeply, notDeply, notDeply},
	"WV9004": {notDeply, notDeply, notDeply, notDeply},
}
