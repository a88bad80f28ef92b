// Seeded (deterministic) generator of a realistic tree for scripts/bench.
//
//   node bench/gen.mjs --out bench-tree/parts --parts 16 --seed 1
//
// Writes <out>/part-00 … part-NN, each ≈ 32 MB in ≈ 1,000 files and each from its own seed
// (seed * 1000 + part index), so the 1× tree is one part, 4× is four parts, 16× is sixteen; the
// callers hard-link the parts into per-size trees, so disk use is that of the 16× tree alone.
// A part looks like a folder of solutions: main templates with and without tracking deployments
// (names built with concat/format/take and variables), languageVersion 2.0 templates, big nested
// templates (inline nested deployments several levels deep, 1–5 MB), Bicep and Terraform
// solutions, and a majority of non-template JSON (API test data, package manifests, big arrays)
// plus code files and a node_modules folder (skipped by the checker). Shaped like the public
// repositories too (issue 17): CARML-style compiled module templates (`modules/<rp>/<res>/main.json`,
// hundreds of inline nested deployments per file, chained through child modules), a Bicep module
// library (AVM-style `avm/res/<area>/<name>/main.bicep` with child modules, many `module` edges and
// e2e tests), and a large Terraform tree (provider-style examples calling local modules).
import fs from 'node:fs';
import path from 'node:path';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const out = args.out || 'bench-tree/parts';
const parts = Number(args.parts || 1);
const seed = Number(args.seed || 1);
const only = args.part !== undefined ? Number(args.part) : null;

// mulberry32
function rng(s) {
  let a = s >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    chance: (p) => next() < p,
    hex: (n) => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(next() * 16)]).join(''),
    guid: () => `${r.hex(8)}-${r.hex(4)}-4${r.hex(3)}-${r.pick(['8', '9', 'a', 'b'])}${r.hex(3)}-${r.hex(12)}`,
    word: () => r.pick(WORDS),
    words: (n) => Array.from({ length: n }, () => r.pick(WORDS)).join(' '),
  };
  return r;
}

const WORDS = ('storage account network virtual machine scale set gateway subnet vault key secret identity managed ' +
  'cluster kubernetes node pool container registry app service plan function web sql server database cosmos ' +
  'redis cache monitor workspace insights diagnostics policy role assignment private endpoint dns zone public ip ' +
  'load balancer firewall bastion frontdoor cdn profile eventhub namespace servicebus queue topic logic workflow ' +
  'contoso fabrikam northwind adventure works tailspin litware proseware wingtip alpine ski house').split(' ');
const SCHEMAS = [
  'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
  'https://schema.management.azure.com/schemas/2015-01-01/deploymentTemplate.json#',
  'https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#',
  'https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentTemplate.json#',
];
const RESOURCE_TYPES = [
  ['Microsoft.Storage/storageAccounts', '2023-01-01'],
  ['Microsoft.Network/virtualNetworks', '2023-04-01'],
  ['Microsoft.Network/publicIPAddresses', '2023-04-01'],
  ['Microsoft.Network/networkSecurityGroups', '2023-04-01'],
  ['Microsoft.Compute/virtualMachines', '2023-03-01'],
  ['Microsoft.KeyVault/vaults', '2023-02-01'],
  ['Microsoft.Web/sites', '2022-09-01'],
  ['Microsoft.Web/serverfarms', '2022-09-01'],
  ['Microsoft.Sql/servers', '2022-05-01-preview'],
  ['Microsoft.ContainerService/managedClusters', '2023-05-01'],
  ['Microsoft.Insights/components', '2020-02-02'],
  ['Microsoft.OperationalInsights/workspaces', '2022-10-01'],
];

function trackingName(r, pid) {
  // Many real ways of writing the tracking deployment name.
  return r.pick([
    () => `pid-${pid}`,
    () => `pid-${pid}-partnercenter`,
    () => `[concat('pid-', '${pid}')]`,
    () => `[format('pid-{0}', '${pid}')]`,
    () => `[variables('trackingName')]`,
    () => `[concat('pid-', variables('partnerGuid'))]`,
    () => `[take(concat('pid-${pid}', '-', uniqueString(resourceGroup().id)), 64)]`,
    () => `[format('{0}-{1}', 'pid', parameters('partnerId'))]`,
  ])();
}

function trackingDeployment(r, pid, v2 = false) {
  const d = {
    type: 'Microsoft.Resources/deployments',
    apiVersion: '2021-04-01',
    name: trackingName(r, pid),
    properties: {
      mode: 'Incremental',
      template: { $schema: SCHEMAS[0], contentVersion: '1.0.0.0', resources: [] },
    },
  };
  if (r.chance(0.2)) d.condition = "[parameters('enableTelemetry')]";
  if (v2) d.location = "[parameters('location')]";
  return d;
}

function resource(r, i) {
  const [type, apiVersion] = r.pick(RESOURCE_TYPES);
  const base = r.word().replace(/[^a-z]/g, '');
  const res = {
    type,
    apiVersion,
    name: r.pick([
      `[concat(parameters('prefix'), '${base}${i}')]`,
      `[format('{0}-${base}-{1}', parameters('prefix'), uniqueString(resourceGroup().id))]`,
      `[take(concat('${base}', uniqueString(resourceGroup().id)), 24)]`,
      `[variables('${base}Name')]`,
    ]),
    location: "[parameters('location')]",
    tags: { environment: r.pick(['dev', 'test', 'prod']), owner: r.word(), costCenter: String(r.int(1000, 9999)) },
    properties: {},
  };
  const props = r.int(4, 20);
  for (let k = 0; k < props; k++) {
    res.properties[`${r.word()}${k}`] = r.pick([
      () => r.words(r.int(1, 6)),
      () => r.int(0, 100000),
      () => r.chance(0.5),
      () => ({ id: `[resourceId('${type}', variables('${r.word()}'))]`, enabled: r.chance(0.5) }),
      () => Array.from({ length: r.int(1, 5) }, () => ({ name: r.word(), value: r.words(3) })),
    ])();
  }
  if (r.chance(0.3)) res.dependsOn = [`[resourceId('Microsoft.Network/virtualNetworks', variables('vnetName'))]`];
  return res;
}

function parametersAndVariables(r, pid) {
  const parameters = {
    location: { type: 'string', defaultValue: '[resourceGroup().location]', metadata: { description: 'Location for all resources.' } },
    prefix: { type: 'string', defaultValue: r.word(), maxLength: 11 },
    partnerId: { type: 'string', defaultValue: pid },
    enableTelemetry: { type: 'bool', defaultValue: true },
  };
  for (let k = 0; k < r.int(3, 15); k++) {
    parameters[`${r.word()}${k}`] = { type: r.pick(['string', 'int', 'bool']), metadata: { description: r.words(8) } };
  }
  const variables = { partnerGuid: pid, trackingName: `[concat('pid-', '${pid}')]`, vnetName: "[concat(parameters('prefix'), '-vnet')]" };
  for (let k = 0; k < r.int(3, 20); k++) variables[`${r.word()}Name`] = `[concat(parameters('prefix'), '${r.word()}${k}')]`;
  return { parameters, variables };
}

function mainTemplate(r, { tracked, resources }) {
  const pid = r.guid();
  const { parameters, variables } = parametersAndVariables(r, pid);
  const res = Array.from({ length: resources }, (_, i) => resource(r, i));
  if (tracked) res.splice(r.int(0, res.length), 0, trackingDeployment(r, pid));
  return { $schema: r.pick(SCHEMAS.slice(0, 2)), contentVersion: '1.0.0.0', metadata: { _generator: { name: 'bicep', version: '0.24.24.22086' } }, parameters, variables, resources: res, outputs: {} };
}

function v2Template(r, { tracked, resources }) {
  const pid = r.guid();
  const { parameters, variables } = parametersAndVariables(r, pid);
  const res = {};
  for (let i = 0; i < resources; i++) res[`${r.word().replace(/[^a-z]/g, '')}${i}`] = resource(r, i);
  if (tracked) res.telemetry = trackingDeployment(r, pid, true);
  return { $schema: SCHEMAS[0], languageVersion: '2.0', contentVersion: '1.0.0.0', parameters, variables, resources: res };
}

// Inline nested deployments `depth` levels deep, each level with `width` resources.
function nestedTemplate(r, depth, width, tracked) {
  const pid = r.guid();
  const { parameters, variables } = parametersAndVariables(r, pid);
  const level = (d) => {
    const res = Array.from({ length: width }, (_, i) => resource(r, i));
    if (d > 0) {
      for (let k = 0; k < r.int(1, 3); k++) {
        res.push({
          type: 'Microsoft.Resources/deployments',
          apiVersion: '2022-09-01',
          name: `[concat('nested-${d}-${k}-', uniqueString(resourceGroup().id))]`,
          properties: {
            mode: 'Incremental',
            expressionEvaluationOptions: { scope: 'inner' },
            parameters: { location: { value: "[parameters('location')]" }, prefix: { value: "[parameters('prefix')]" } },
            template: { $schema: SCHEMAS[0], contentVersion: '1.0.0.0', parameters: { location: { type: 'string' }, prefix: { type: 'string' } }, resources: level(d - 1) },
          },
        });
      }
    }
    return res;
  };
  const resources = level(depth);
  if (tracked) resources.unshift(trackingDeployment(r, pid));
  return { $schema: SCHEMAS[0], contentVersion: '1.0.0.0', parameters, variables, resources };
}

function apiTestData(r, items) {
  return {
    parameters: { subscriptionId: r.guid(), resourceGroupName: r.word(), 'api-version': '2023-01-01' },
    responses: {
      200: {
        body: {
          value: Array.from({ length: items }, (_, i) => ({
            id: `/subscriptions/${r.guid()}/resourceGroups/${r.word()}/providers/${r.pick(RESOURCE_TYPES)[0]}/${r.word()}${i}`,
            name: `${r.word()}${i}`,
            type: r.pick(RESOURCE_TYPES)[0],
            location: r.pick(['westeurope', 'eastus', 'westus2', 'northeurope']),
            properties: { provisioningState: 'Succeeded', description: r.words(r.int(3, 20)), count: r.int(0, 1e6), enabled: r.chance(0.5), tags: { a: r.word(), b: r.word() } },
          })),
          nextLink: null,
        },
      },
    },
  };
}

function packageJson(r) {
  const deps = {};
  for (let k = 0; k < r.int(3, 30); k++) deps[`@${r.word()}/${r.word()}-${k}`] = `^${r.int(0, 12)}.${r.int(0, 30)}.${r.int(0, 9)}`;
  return { name: `${r.word()}-${r.word()}`, version: `${r.int(0, 5)}.${r.int(0, 20)}.0`, description: r.words(10), main: 'index.js', scripts: { build: 'tsc', test: 'jest' }, dependencies: deps, devDependencies: { typescript: '^5.2.0', jest: '^29.0.0' } };
}

function bigArray(r, n) {
  return Array.from({ length: n }, (_, i) => ({ i, ts: 1700000000 + i * 60, sensor: r.word(), value: Math.round(r.next() * 1e6) / 1000, ok: r.chance(0.9), note: r.chance(0.2) ? r.words(6) : null }));
}

function bicepMain(r, tracked) {
  const pid = r.guid();
  let s = `targetScope = 'resourceGroup'\n\n@description('Location for all resources.')\nparam location string = resourceGroup().location\nparam prefix string = '${r.word()}'\nparam enableTelemetry bool = true\n\n`;
  for (let i = 0; i < r.int(3, 12); i++) {
    s += `resource ${r.word().replace(/[^a-z]/g, '')}${i} 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: '\${prefix}${i}\${uniqueString(resourceGroup().id)}'\n  location: location\n  sku: {\n    name: 'Standard_LRS'\n  }\n  kind: 'StorageV2'\n  properties: {\n    minimumTlsVersion: 'TLS1_2'\n    supportsHttpsTrafficOnly: true\n  }\n}\n\n`;
  }
  for (let i = 0; i < r.int(1, 4); i++) s += `module mod${i} 'modules/${r.word().replace(/[^a-z]/g, '')}.bicep' = {\n  name: 'mod${i}-\${uniqueString(resourceGroup().id)}'\n  params: {\n    location: location\n  }\n}\n\n`;
  if (tracked) {
    s += r.chance(0.5)
      ? `#disable-next-line no-deployments-resources\nresource telemetry 'Microsoft.Resources/deployments@2021-04-01' = if (enableTelemetry) {\n  name: 'pid-${pid}-partnercenter'\n  properties: {\n    mode: 'Incremental'\n    template: {\n      '$schema': 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#'\n      contentVersion: '1.0.0.0'\n      resources: []\n    }\n  }\n}\n`
      : `module telemetry 'modules/empty.bicep' = {\n  name: 'pid-${pid}'\n}\n`;
  }
  return s;
}

function terraform(r, tracked) {
  const pid = r.guid();
  const providers = `terraform {\n  required_providers {\n    azurerm = {\n      source  = "hashicorp/azurerm"\n      version = "~> 3.80"\n    }\n    azapi = {\n      source = "azure/azapi"\n    }\n  }\n}\n\nprovider "azurerm" {\n  features {}\n${tracked ? `  partner_id = "${pid}"\n` : ''}}\n\nprovider "azapi" {\n${tracked && r.chance(0.5) ? `  partner_id = var.partner_id\n` : ''}}\n`;
  const variables = `variable "partner_id" {\n  type    = string\n  default = "${pid}"\n}\n\nvariable "location" {\n  type    = string\n  default = "westeurope"\n}\n`;
  let main = '';
  for (let i = 0; i < r.int(3, 15); i++) {
    main += `resource "azurerm_storage_account" "sa${i}" {\n  name                     = "${r.word().replace(/[^a-z]/g, '')}${i}\${random_string.suffix.result}"\n  resource_group_name      = azurerm_resource_group.rg.name\n  location                 = var.location\n  account_tier             = "Standard"\n  account_replication_type = "LRS"\n  tags = {\n    environment = "${r.pick(['dev', 'prod'])}"\n  }\n}\n\n`;
  }
  return { providers, variables, main };
}

function codeFile(r, ext, tracked) {
  const pid = r.guid();
  const lines = [];
  for (let i = 0; i < r.int(30, 300); i++) lines.push(`    ${r.pick(['x', 'y', 'value', 'result'])}${i} = compute("${r.words(3)}", ${r.int(0, 999)})`);
  const ua = tracked ? `pid-${pid}` : `${r.word()}-tool/1.0`;
  switch (ext) {
    case 'py':
      return `from azure.identity import DefaultAzureCredential\nfrom azure.mgmt.resource import ResourceManagementClient\n\nUSER_AGENT = "${ua}"\n\ndef main():\n    client = ResourceManagementClient(DefaultAzureCredential(), "sub", user_agent=USER_AGENT)\n${lines.join('\n')}\n`;
    case 'ts':
      return `import { DefaultAzureCredential } from "@azure/identity";\nimport { ResourceManagementClient } from "@azure/arm-resources";\n\nconst client = new ResourceManagementClient(new DefaultAzureCredential(), "sub", { userAgentOptions: { userAgentPrefix: "${ua}" } });\nfunction run() {\n${lines.map((l) => `  const ${l.trim()};`).join('\n')}\n}\n`;
    case 'cs':
      return `using Azure.Identity;\nusing Azure.ResourceManager;\n\nvar options = new ArmClientOptions();\noptions.Diagnostics.ApplicationId = "${ua}";\nvar client = new ArmClient(new DefaultAzureCredential(), default, options);\n${lines.map((l) => `var ${l.trim()};`).join('\n')}\n`;
    case 'sh':
      return `#!/usr/bin/env bash\nset -euo pipefail\nexport AZURE_HTTP_USER_AGENT="${ua}"\naz deployment group create -g rg -f azuredeploy.json\n${lines.map((l) => `# ${l.trim()}`).join('\n')}\n`;
    default:
      return `$env:AZURE_HTTP_USER_AGENT = "${ua}"\nNew-AzResourceGroupDeployment -ResourceGroupName rg -TemplateFile azuredeploy.json\n${lines.map((l) => `# ${l.trim()}`).join('\n')}\n`;
  }
}

// A CARML-style compiled module (`main.json` next to its `main.bicep`): every child module is an
// inline nested deployment (scope inner), and so is each of their children; a telemetry
// deployment named with format('pid-…-{0}', uniqueString(…)) behind enableDefaultTelemetry.
function carmlDeployment(r, name, depth, fanout) {
  const props = {};
  for (let k = 0; k < r.int(3, 8); k++) props[`${r.word()}${k}`] = { value: `[parameters('${r.word()}${k}')]` };
  const resources = [resource(r, 0)];
  if (depth > 0) for (let k = 0; k < fanout; k++) resources.push(carmlDeployment(r, `${name}-${r.word().replace(/[^a-z]/g, '')}${k}`, depth - 1, Math.max(1, fanout - 2)));
  return {
    type: 'Microsoft.Resources/deployments',
    apiVersion: '2022-09-01',
    name: `[format('{0}-${name}', uniqueString(deployment().name, parameters('location')))]`,
    properties: {
      expressionEvaluationOptions: { scope: 'inner' },
      mode: 'Incremental',
      parameters: { location: { value: "[parameters('location')]" }, enableDefaultTelemetry: { value: "[variables('enableReferencedModulesTelemetry')]" }, ...props },
      template: {
        $schema: SCHEMAS[0],
        contentVersion: '1.0.0.0',
        metadata: { _generator: { name: 'bicep', version: '0.22.6.54827', templateHash: r.hex(16) } },
        parameters: { location: { type: 'string', defaultValue: '[resourceGroup().location]' }, enableDefaultTelemetry: { type: 'bool', defaultValue: true } },
        variables: { enableReferencedModulesTelemetry: false },
        resources: [
          { condition: "[parameters('enableDefaultTelemetry')]", type: 'Microsoft.Resources/deployments', apiVersion: '2021-04-01', name: `[format('pid-47ed15a6-730a-4827-bcb4-0fd963ffbd82-{0}', uniqueString(deployment().name, parameters('location')))]`, properties: { mode: 'Incremental', template: { $schema: SCHEMAS[0], contentVersion: '1.0.0.0', resources: [] } } },
          ...resources,
        ],
        outputs: { resourceId: { type: 'string', value: `[resourceId('${RESOURCE_TYPES[0][0]}', parameters('location'))]` } },
      },
    },
  };
}

function carmlModule(r, target) {
  const { parameters, variables } = parametersAndVariables(r, r.guid());
  parameters.enableDefaultTelemetry = { type: 'bool', defaultValue: true };
  variables.enableReferencedModulesTelemetry = false;
  const resources = [];
  // Child modules until the file holds about `target` bytes (a few hundred nested deployments).
  for (let k = 0; JSON.stringify(resources).length < target && k < 400; k++) resources.push(carmlDeployment(r, `child${k}`, r.int(1, 2), r.int(1, 4)));
  return { $schema: SCHEMAS[0], contentVersion: '1.0.0.0', metadata: { _generator: { name: 'bicep', version: '0.22.6.54827' } }, parameters, variables, resources, outputs: {} };
}

function carmlBicep(r, children) {
  let s = `metadata name = '${r.words(3)}'\nmetadata description = '${r.words(12)}'\n\n@description('Optional. Location for all resources.')\nparam location string = resourceGroup().location\n\n@description('Optional. Enable telemetry via a Globally Unique Identifier (GUID).')\nparam enableDefaultTelemetry bool = true\n\nvar enableReferencedModulesTelemetry = false\n\n`;
  s += `resource defaultTelemetry 'Microsoft.Resources/deployments@2021-04-01' = if (enableDefaultTelemetry) {\n  name: 'pid-47ed15a6-730a-4827-bcb4-0fd963ffbd82-\${uniqueString(deployment().name, location)}'\n  properties: {\n    mode: 'Incremental'\n    template: {\n      '$schema': 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#'\n      contentVersion: '1.0.0.0'\n      resources: []\n    }\n  }\n}\n\n`;
  for (const c of children) s += `module ${c} '${c}/main.bicep' = {\n  name: '\${uniqueString(deployment().name, location)}-${c}'\n  params: {\n    location: location\n    enableDefaultTelemetry: enableReferencedModulesTelemetry\n  }\n}\n\n`;
  return s;
}

// An AVM-style Bicep module: decorated parameters, user-defined types, loops, conditions,
// interpolated names, child modules and the telemetry deployment.
function avmModule(r, children, res) {
  const w = () => r.word().replace(/[^a-z]/g, '') || 'x';
  let s = `metadata name = '${r.words(3)}'\nmetadata description = '${r.words(14)}'\n\n@description('Required. Name of the resource.')\nparam name string\n\n@description('Optional. Location for all resources.')\nparam location string = resourceGroup().location\n\n@description('Optional. Enable/Disable usage telemetry for module.')\nparam enableTelemetry bool = true\n\n`;
  for (let k = 0; k < r.int(6, 20); k++) {
    s += r.pick([
      () => `@description('Optional. ${r.words(8)}.')\nparam ${w()}${k} string = '${r.word()}'\n\n`,
      () => `@description('Optional. ${r.words(8)}.')\n@allowed([\n  'Enabled'\n  'Disabled'\n])\nparam ${w()}${k} string = 'Enabled'\n\n`,
      () => `@description('Optional. ${r.words(8)}.')\n@minValue(1)\n@maxValue(${r.int(10, 1000)})\nparam ${w()}${k} int = ${r.int(1, 9)}\n\n`,
      () => `@description('Optional. ${r.words(8)}.')\nparam ${w()}${k} object = {}\n\n`,
      () => `@description('Optional. ${r.words(8)}.')\nparam ${w()}${k} array = []\n\n`,
    ])();
  }
  s += `@description('Optional. Array of role assignments to create.')\nparam roleAssignments roleAssignmentType[]?\n\ntype roleAssignmentType = {\n  @description('Required. The role to assign.')\n  roleDefinitionIdOrName: string\n  principalId: string\n  principalType: ('ServicePrincipal' | 'Group' | 'User')?\n  description: string?\n}\n\n`;
  s += `var builtInRoleNames = {\n  Contributor: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b24988ac-6180-42a0-ab88-20f7382dd24c')\n  Reader: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'acdd72a7-3385-48ef-bd42-f606fba81ae7')\n}\n\n`;
  s += `#disable-next-line no-deployments-resources\nresource avmTelemetry 'Microsoft.Resources/deployments@2024-03-01' = if (enableTelemetry) {\n  name: '46d3xbcp.res.${w()}.\${replace('-..--..-', '.', '-')}.\${substring(uniqueString(deployment().name, location), 0, 4)}'\n  properties: {\n    mode: 'Incremental'\n    template: {\n      '$schema': 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#'\n      contentVersion: '1.0.0.0'\n      resources: []\n      outputs: {\n        telemetry: {\n          type: 'String'\n          value: 'For more information, see https://aka.ms/avm/TelemetryInfo'\n        }\n      }\n    }\n  }\n}\n\n`;
  s += `resource ${res} '${r.pick(RESOURCE_TYPES).join('@')}' = {\n  name: name\n  location: location\n  properties: {\n`;
  for (let k = 0; k < r.int(4, 16); k++) s += `    ${w()}${k}: ${r.pick([`'${r.word()}'`, `${r.int(0, 99)}`, `!empty(name) ? 'a' : 'b'`, `'\${name}-${r.word()}'`, `contains(name, '${r.word()}')`])}\n`;
  s += `  }\n}\n\n`;
  s += `resource ${res}_roleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [\n  for (roleAssignment, index) in (roleAssignments ?? []): {\n    name: guid(${res}.id, roleAssignment.principalId, roleAssignment.roleDefinitionIdOrName)\n    properties: {\n      roleDefinitionId: builtInRoleNames[?roleAssignment.roleDefinitionIdOrName] ?? roleAssignment.roleDefinitionIdOrName\n      principalId: roleAssignment.principalId\n      description: roleAssignment.?description\n      principalType: roleAssignment.?principalType\n    }\n    scope: ${res}\n  }\n]\n\n`;
  for (const c of children) s += `module ${res}_${c} '${c}/main.bicep' = [\n  for (item, index) in (${c}s ?? []): {\n    name: '\${uniqueString(deployment().name, location)}-${c}-\${index}'\n    params: {\n      name: item.name\n      parentName: ${res}.name\n      enableTelemetry: enableTelemetry\n    }\n  }\n]\n\nparam ${c}s array = []\n\n`;
  s += `@description('The resource ID.')\noutput resourceId string = ${res}.id\n\n@description('The name.')\noutput name string = ${res}.name\n`;
  return s;
}

function terraformModuleCall(r, i, modules) {
  let s = '';
  for (const m of modules) s += `module "${m}_${i}" {\n  source              = "../../modules/${m}"\n  name                = "\${var.prefix}-${m}-${i}"\n  resource_group_name = azurerm_resource_group.example.name\n  location            = var.location\n}\n\n`;
  s += `resource "azurerm_resource_group" "example" {\n  name     = "\${var.prefix}-resources"\n  location = var.location\n}\n\n`;
  for (let k = 0; k < r.int(2, 8); k++) {
    s += `resource "azurerm_${r.pick(['storage_account', 'key_vault', 'linux_web_app', 'kubernetes_cluster', 'virtual_network'])}" "ex${k}" {\n  name                = "\${var.prefix}${k}"\n  resource_group_name = azurerm_resource_group.example.name\n  location            = azurerm_resource_group.example.location\n  tags = {\n    environment = "${r.pick(['dev', 'prod'])}"\n  }\n  dynamic "network_rules" {\n    for_each = var.rules\n    content {\n      default_action = network_rules.value.action\n    }\n  }\n}\n\n`;
  }
  return s;
}

function writePart(dir, s) {
  const r = rng(s);
  let bytes = 0;
  let files = 0;
  const put = (rel, content) => {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    const text = typeof content === 'string' ? content : JSON.stringify(content, null, r.chance(0.85) ? 2 : 0);
    fs.writeFileSync(p, text);
    bytes += Buffer.byteLength(text);
    files += 1;
  };
  // 24 ARM solutions: a main template (70 % tracked; a few in languageVersion 2.0), linked
  // templates under nestedtemplates/, parameter files and API test data.
  for (let i = 0; i < 24; i++) {
    const sol = `arm/${r.word().replace(/[^a-z]/g, '')}-${i}`;
    const tracked = r.chance(0.7);
    const v2 = r.chance(0.25);
    const main = v2 ? v2Template(r, { tracked, resources: r.int(5, 40) }) : mainTemplate(r, { tracked, resources: r.int(5, 60) });
    put(`${sol}/${r.chance(0.6) ? 'azuredeploy.json' : 'mainTemplate.json'}`, main);
    put(`${sol}/azuredeploy.parameters.json`, { $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#', contentVersion: '1.0.0.0', parameters: { location: { value: 'westeurope' }, prefix: { value: r.word() } } });
    for (let k = 0; k < r.int(1, 3); k++) put(`${sol}/nestedtemplates/${r.word().replace(/[^a-z]/g, '')}${k}.json`, mainTemplate(r, { tracked: false, resources: r.int(2, 15) }));
    if (r.chance(0.3)) put(`${sol}/createUiDefinition.json`, { $schema: 'https://schema.management.azure.com/schemas/0.1.2-preview/CreateUIDefinition.MultiVm.json#', handler: 'Microsoft.Azure.CreateUIDef', version: '0.1.2-preview', parameters: { basics: [], steps: Array.from({ length: r.int(2, 10) }, () => ({ name: r.word(), label: r.words(3), elements: [] })) } });
    put(`${sol}/README.md`, `# ${r.words(4)}\n\n${r.words(80)}\n`);
  }
  // Big nested templates: inline nested deployments several levels deep, 1–5 MB.
  for (let i = 0; i < 2; i++) {
    const target = r.int(1, 5) * 1024 * 1024;
    let depth = r.int(3, 5);
    let width = 4;
    let t = nestedTemplate(rng(s * 7 + i), depth, width, r.chance(0.5));
    // Grow the width until the template reaches its target size (deterministic).
    while (JSON.stringify(t, null, 2).length < target && width < 400) {
      width = Math.ceil(width * 1.5);
      t = nestedTemplate(rng(s * 7 + i), depth, width, i === 0);
    }
    put(`arm/big-${i}/${i === 0 ? 'mainTemplate.json' : 'nestedtemplates/platform.json'}`, t);
  }
  // Bicep solutions.
  for (let i = 0; i < 12; i++) {
    const sol = `bicep/${r.word().replace(/[^a-z]/g, '')}-${i}`;
    put(`${sol}/main.bicep`, bicepMain(r, r.chance(0.7)));
    put(`${sol}/modules/empty.bicep`, `// empty module for the telemetry deployment\n`);
    put(`${sol}/bicepconfig.json`, { analyzers: { core: { enabled: true, rules: { 'no-unused-params': { level: 'warning' } } } } });
  }
  // Terraform solutions.
  for (let i = 0; i < 12; i++) {
    const sol = `terraform/${r.word().replace(/[^a-z]/g, '')}-${i}`;
    const tf = terraform(r, r.chance(0.7));
    put(`${sol}/providers.tf`, tf.providers);
    put(`${sol}/variables.tf`, tf.variables);
    put(`${sol}/main.tf`, tf.main);
    if (r.chance(0.5)) put(`${sol}/terraform.tfvars`, `location = "eastus"\n`);
  }
  // Code.
  for (let i = 0; i < 100; i++) {
    const ext = r.pick(['py', 'ts', 'cs', 'sh', 'ps1', 'ts', 'py']);
    put(`src/${r.word().replace(/[^a-z]/g, '')}/${r.word().replace(/[^a-z]/g, '')}${i}.${ext}`, codeFile(r, ext, r.chance(0.3)));
  }
  // CARML-style module library: compiled main.json (hundreds of nested deployments, 0.3–1.5 MB)
  // next to main.bicep and its child module folders.
  for (let i = 0; i < 3; i++) {
    const mod = `modules/${r.pick(['network', 'compute', 'storage', 'web', 'insights'])}/${r.word().replace(/[^a-z]/g, '')}-${i}`;
    const children = Array.from({ length: r.int(2, 4) }, (_, k) => `child${k}`);
    put(`${mod}/main.json`, carmlModule(r, r.int(300, 1500) * 1024));
    put(`${mod}/main.bicep`, carmlBicep(r, children));
    for (const c of children) {
      put(`${mod}/${c}/main.bicep`, carmlBicep(r, []));
      put(`${mod}/${c}/main.json`, carmlModule(r, r.int(20, 80) * 1024));
    }
    put(`${mod}/.test/common/main.test.bicep`, `targetScope = 'subscription'\nmodule testDeployment '../../main.bicep' = {\n  scope: resourceGroup('rg')\n  name: 'test'\n  params: {\n    location: 'westeurope'\n  }\n}\n`);
  }
  // AVM-style Bicep module library: many modules, each with child modules and e2e tests.
  for (let i = 0; i < 30; i++) {
    const mod = `avm/res/${r.pick(['network', 'compute', 'storage', 'web', 'key-vault'])}/${r.word().replace(/[^a-z]/g, '')}-${i}`;
    const children = Array.from({ length: r.int(0, 3) }, (_, k) => `sub${k}`);
    put(`${mod}/main.bicep`, avmModule(r, children, `res${i}`));
    for (const c of children) put(`${mod}/${c}/main.bicep`, avmModule(r, [], `${c}res`));
    for (const t of ['defaults', 'max', 'waf-aligned']) put(`${mod}/tests/e2e/${t}/main.test.bicep`, `targetScope = 'subscription'\n\nparam namePrefix string = '#_namePrefix_#'\n\nmodule testDeployment '../../../main.bicep' = [\n  for iteration in ['init', 'idem']: {\n    scope: resourceGroup('rg-\${namePrefix}')\n    name: '\${uniqueString(deployment().name)}-test-\${iteration}'\n    params: {\n      name: '\${namePrefix}${i}${t}'\n    }\n  }\n]\n`);
    put(`${mod}/version.json`, { $schema: 'https://aka.ms/bicep-registry-module-version-file-schema#', version: `0.${r.int(1, 9)}`, pathFilters: ['./main.json'] });
    put(`${mod}/README.md`, `# ${r.words(3)} \`[${mod}]\`\n\n${r.words(120)}\n`);
  }
  // A large Terraform tree: provider-style examples, each folder calling local modules.
  const tfModules = ['network', 'storage', 'identity', 'monitoring'];
  for (const m of tfModules) {
    put(`tf-tree/modules/${m}/main.tf`, terraformModuleCall(r, 0, []));
    put(`tf-tree/modules/${m}/variables.tf`, `variable "name" {\n  type = string\n}\n\nvariable "resource_group_name" {\n  type = string\n}\n\nvariable "location" {\n  type = string\n}\n\nvariable "prefix" {\n  type    = string\n  default = "ex"\n}\n\nvariable "rules" {\n  type    = list(any)\n  default = []\n}\n`);
  }
  for (let i = 0; i < 120; i++) {
    const ex = `tf-tree/examples/${r.word().replace(/[^a-z]/g, '')}/${i}`;
    const tf = terraform(r, r.chance(0.4));
    put(`${ex}/main.tf`, terraformModuleCall(r, i, tfModules.filter(() => r.chance(0.5))));
    put(`${ex}/providers.tf`, tf.providers);
    put(`${ex}/variables.tf`, tf.variables + `\nvariable "prefix" {\n  type    = string\n  default = "ex${i}"\n}\n\nvariable "rules" {\n  type    = list(any)\n  default = []\n}\n`);
  }
  // The majority: non-template JSON. API test data, package manifests, big arrays, fixtures.
  for (let i = 0; i < 520; i++) {
    const area = r.pick(['specification', 'test/data', 'samples', 'docs/examples']);
    const kind = r.next();
    if (kind < 0.6) put(`${area}/${r.word().replace(/[^a-z]/g, '')}/examples/${r.word().replace(/[^a-z]/g, '')}_${i}.json`, apiTestData(r, r.int(10, 80)));
    else if (kind < 0.85) put(`${area}/pkg-${i}/package.json`, packageJson(r));
    else if (kind < 0.99) put(`${area}/data/series_${i}.json`, bigArray(r, r.int(100, 1100)));
    else put(`${area}/data/large_${i}.json`, bigArray(r, r.int(4000, 7000)));
  }
  // node_modules and .git are skipped by the checker and the floor alike.
  for (let i = 0; i < 20; i++) put(`node_modules/${r.word().replace(/[^a-z]/g, '')}${i}/package.json`, packageJson(r));
  return { bytes, files };
}

fs.mkdirSync(out, { recursive: true });
for (let p = 0; p < parts; p++) {
  if (only !== null && p !== only) continue;
  const dir = path.join(out, `part-${String(p).padStart(2, '0')}`);
  fs.rmSync(dir, { recursive: true, force: true });
  const { bytes, files } = writePart(dir, seed * 1000 + p);
  console.log(`gen: ${dir}: ${files} files, ${(bytes / 1e6).toFixed(1)} MB`);
}
