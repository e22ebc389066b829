// The engine's `{name}` templates live in shared/ (the bot checks read their variables too).
export { DotSegmentError, renderTemplate, renderUrlTemplate, soleVariable, templateVariables } from "../../../../shared/bots/templates.ts";
