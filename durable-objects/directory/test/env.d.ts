// Types of the `cloudflare:test` module that @cloudflare/vitest-plugin provides inside workerd.
/// <reference types="@cloudflare/vitest-plugin/types" />
