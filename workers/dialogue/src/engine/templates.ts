// The engine's `{name}` templates live in shared/ (the bot checks read their variables too).
export { renderTemplate, soleVariable, templateVariables } from "../../../../shared/bots/templates.ts";
