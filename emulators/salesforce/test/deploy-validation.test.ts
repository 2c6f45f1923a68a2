// Deploy validation as Salesforce applies it, rule by rule, on the test package with one thing
// broken at a time; and the emulator's source conversion against the CLI's own library.
import { resolve } from 'node:path';
import { ComponentSet, MetadataConverter } from '@salesforce/source-deploy-retrieve';
import { componentKey, packageComponents } from '../src/metadata/components';
import { deployPackage } from '../src/metadata/deploy';
import { standardSchema } from '../src/metadata/metadata-deploys';
import { readPackageZip, sourceToPackage, type PackageFiles } from '../src/metadata/package-files';
import { FIXTURE_FORCE_APP } from './helpers';

const SETTINGS = {
  sandbox: false,
  multiCurrency: false,
  corporateCurrency: 'USD',
  currencyCodes: ['USD'],
};
const NOW = '2026-01-01T00:00:00.000+0000';
const OPP = 'objects/Opportunity.object';

const deploy = (files: PackageFiles, current = new Map()) =>
  deployPackage(current, files, standardSchema(SETTINGS), NOW);

/** The fixture package with `edit` applied to one file's text. */
function broken(file: string, edit: (text: string) => string): PackageFiles {
  const files = sourceToPackage(FIXTURE_FORCE_APP);
  const text = files.get(file);
  if (text === undefined) throw new Error(`no ${file} in the fixture package`);
  files.set(file, edit(text));
  return files;
}

const problems = (files: PackageFiles) =>
  deploy(files).failures.map((f) => `${f.componentType} ${f.fullName}: ${f.problem ?? ''}`);

const field = (xml: string) => (text: string) =>
  text.replace('</CustomObject>', `${xml}</CustomObject>`);

describe('salesforce emulator: deploy validation', () => {
  it('the test package deploys as is', () => {
    const outcome = deploy(sourceToPackage(FIXTURE_FORCE_APP));
    expect(outcome.failures).toEqual([]);
    expect(outcome.successes.length).toBe(outcome.total);
  });

  it('converts force-app to the same components as the Salesforce CLI library does', async () => {
    const forceApp = resolve(__dirname, '../../../force-app');
    const zipped = await new MetadataConverter().convert(
      ComponentSet.fromSource(forceApp),
      'metadata',
      { type: 'zip' },
    );
    const fromCli = packageComponents(await readPackageZip(zipped.zipBuffer as Buffer));
    const ours = packageComponents(sourceToPackage(forceApp));
    expect(ours.map(componentKey).sort()).toEqual(fromCli.map(componentKey).sort());
    const byKey = (cs: typeof ours) => Object.fromEntries(cs.map((c) => [componentKey(c), c.xml]));
    expect(byKey(ours)).toEqual(byKey(fromCli));
  }, 60_000);

  it('a double underscore outside the suffix is a namespace the org does not own', () => {
    const files = broken(
      OPP,
      field(
        '<fields><fullName>Bad__Name__c</fullName><label>Bad</label><type>Checkbox</type><defaultValue>false</defaultValue></fields>',
      ),
    );
    expect(problems(files)).toEqual([
      'CustomField Opportunity.Bad__Name__c: Cannot create a new component with the namespace: Bad. Only components in the same namespace as the organization can be created through the API',
    ]);
  });

  it('names must start with a letter and not end with an underscore', () => {
    const files = broken(
      OPP,
      field(
        '<fields><fullName>_Bad_Name___c</fullName><label>Bad</label><type>Checkbox</type><defaultValue>false</defaultValue></fields>',
      ),
    );
    expect(problems(files)[0]).toMatch(/can only contain underscores and alphanumeric characters/);
  });

  it('a validation rule naming a field that does not exist is refused', () => {
    const files = broken(OPP, (t) =>
      t.replace(
        '</CustomObject>',
        '<validationRules><fullName>Uses_Missing</fullName><active>true</active><errorConditionFormula>AND(Sync_with_Partner_Center__c, ISBLANK(Account.No_Such__c))</errorConditionFormula><errorMessage>x</errorMessage></validationRules></CustomObject>',
      ),
    );
    expect(problems(files)).toEqual([
      'ValidationRule Opportunity.Uses_Missing: Field Account.No_Such__c does not exist. Check spelling.',
    ]);
  });

  it('$Permission must name a custom permission in the org or the package', () => {
    const rule =
      '<validationRules><fullName>Exempt</fullName><active>true</active><errorConditionFormula>NOT($Permission.Bypass_Rules) &amp;&amp; ISBLANK(Name)</errorConditionFormula><errorMessage>x</errorMessage></validationRules>';
    const files = broken(OPP, (t) => t.replace('</CustomObject>', `${rule}</CustomObject>`));
    expect(problems(files)).toEqual([
      'ValidationRule Opportunity.Exempt: Field $Permission.Bypass_Rules does not exist. Check spelling.',
    ]);
    files.set(
      'customPermissions/Bypass_Rules.customPermission',
      '<?xml version="1.0"?><CustomPermission xmlns="http://soap.sforce.com/2006/04/metadata"><label>Bypass</label></CustomPermission>',
    );
    expect(problems(files)).toEqual([]);
  });

  it('a roll-up must summarize through a master-detail field to this object', () => {
    const files = broken(OPP, (t) =>
      t.replace(
        '<summaryForeignKey>Co_Sell_Solution__c.Opportunity__c',
        '<summaryForeignKey>Co_Sell_Solution__c.Missing__c',
      ),
    );
    expect(problems(files)).toEqual([
      'CustomField Opportunity.Co_Sell_Solution_Count__c: Field Co_Sell_Solution__c.Missing__c does not exist. Check spelling.',
    ]);
  });

  it('a lookup to an object that does not exist is refused', () => {
    const files = broken(
      OPP,
      field(
        '<fields><fullName>Ghost__c</fullName><label>Ghost</label><type>Lookup</type><referenceTo>Ghost__c</referenceTo><relationshipName>Ghosts</relationshipName></fields>',
      ),
    );
    expect(problems(files)).toEqual([
      "CustomField Opportunity.Ghost__c: referenceTo value of 'Ghost__c' does not resolve to a valid sObject type",
    ]);
  });

  it('picklists: one default, no duplicate values; text lengths within 1–255', () => {
    const picklist =
      '<fields><fullName>Choice__c</fullName><label>Choice</label><type>Picklist</type><valueSet><valueSetDefinition><value><fullName>A</fullName><default>true</default><label>A</label></value><value><fullName>a</fullName><default>true</default><label>a</label></value></valueSetDefinition></valueSet></fields>';
    const text =
      '<fields><fullName>Long__c</fullName><label>Long</label><type>Text</type><length>300</length></fields>';
    const files = broken(OPP, field(picklist + text));
    expect(problems(files)).toEqual([
      'CustomField Opportunity.Choice__c: Duplicate picklist value: a',
      'CustomField Opportunity.Choice__c: Only one default value is allowed for a picklist',
      'CustomField Opportunity.Long__c: Length must be between 1 and 255',
    ]);
  });

  it('a flexipage may only place components the org has', () => {
    const files = sourceToPackage(FIXTURE_FORCE_APP);
    files.set(
      'flexipages/Page.flexipage',
      '<?xml version="1.0"?><FlexiPage xmlns="http://soap.sforce.com/2006/04/metadata"><flexiPageRegions><itemInstances><componentInstance><componentName>c:missingPanel</componentName><identifier>x</identifier></componentInstance></itemInstances><name>main</name><type>Region</type></flexiPageRegions><masterLabel>Page</masterLabel><sobjectType>Opportunity</sobjectType><type>RecordPage</type></FlexiPage>',
    );
    expect(problems(files)).toEqual(['FlexiPage Page: Component [c:missingPanel] not found']);
  });

  it('a failing deploy changes nothing (rollbackOnError); a good one merges into the org', () => {
    const first = deploy(sourceToPackage(FIXTURE_FORCE_APP));
    const bad = broken(
      OPP,
      field(
        '<fields><fullName>Bad__Name__c</fullName><label>Bad</label><type>Checkbox</type></fields>',
      ),
    );
    const refused = deploy(bad, first.components);
    expect(refused.failures).not.toEqual([]);
    expect([...refused.components.keys()].sort()).toEqual([...first.components.keys()].sort());
    // A later deploy of one field adds it without dropping the rest.
    const one: PackageFiles = new Map([
      [
        OPP,
        '<?xml version="1.0"?><CustomObject xmlns="http://soap.sforce.com/2006/04/metadata"><fields><fullName>Extra__c</fullName><label>Extra</label><type>Checkbox</type><defaultValue>false</defaultValue></fields></CustomObject>',
      ],
    ]);
    const merged = deploy(one, first.components);
    expect(merged.failures).toEqual([]);
    expect(merged.components.size).toBe(first.components.size + 1);
  });
});
