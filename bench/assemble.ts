/**
 * The last step of `npm run bench`: joins the result sections each runner wrote under
 * bench/results/ into BENCHMARKS.md, in a fixed order, so one file holds every measurement
 * with its command, machine and baseline.
 */
import { existsSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';

const RESULTS = join(__dirname, 'results');
/** Sections in order: what each measures is in its own heading. */
const SECTIONS = ['synth.md', 'images.md', 'pulumi.md', 'autoscaling.md', 'capacity.md'];

const parts = SECTIONS.map((name) => join(RESULTS, name)).filter((file) => existsSync(file)).map((file) => readFileSync(file, 'utf8').trim());
const missing = SECTIONS.filter((name) => !existsSync(join(RESULTS, name)));
if (missing.length > 0) console.warn(`bench/assemble: no results for ${missing.join(', ')}; their runner did not complete`);
writeFileSync(join(__dirname, '..', 'BENCHMARKS.md'), `${parts.join('\n\n')}\n`);
console.log(`wrote BENCHMARKS.md from ${parts.length} section(s)`);
