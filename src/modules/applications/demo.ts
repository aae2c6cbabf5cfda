/**
 * The demo town's application services, bilingual: a residential renovation permit (fee per square
 * metre, plans to upload), a dog licence (renewed every year), the teleworker relocation program
 * (eligibility, proof of employment), and "Do I need a renovation permit?". Safe to run again: a
 * service or pre-check whose slug exists is left as it is.
 */
import type { Database } from '../../db/database.ts';
import { DEMO_STEPS } from '../demo/seed.ts';
import type { Tenant } from '../tenants/service.ts';
import { seedPublishedService } from './builder.ts';
import type { FormDefinition, Question } from './engine/index.ts';
import { seedPrecheck, type PrecheckDefinition } from './precheck.ts';

const b = (fr: string, en: string) => ({ fr, en });
const none = b('', '');
/** A question with the usual defaults (no help, required, always asked). */
type Loose<Q> = Q extends Question ? Omit<Q, 'help' | 'required' | 'showIf'> & Partial<Pick<Q, 'help' | 'required' | 'showIf'>> : never;
const q = (question: Loose<Question>): Question => ({ help: none, required: true, showIf: null, ...question });

export const RENOVATION: FormDefinition = {
  pages: [
    {
      code: 'property',
      title: b('La propriété', 'The property'),
      intro: b('Où auront lieu les travaux?', 'Where will the work be done?'),
      showIf: null,
      questions: [
        q({ code: 'where', kind: 'address', label: b('Adresse ou numéro de lot de la propriété', 'Address or lot number of the property') }),
        q({ code: 'owner', kind: 'yesno', label: b('Êtes-vous propriétaire de cet immeuble?', 'Do you own this building?') }),
        q({
          code: 'owner_name',
          kind: 'text',
          label: b('Nom du propriétaire', 'Owner’s name'),
          help: b('Nous pourrions lui demander son autorisation écrite.', 'We may ask for the owner’s written consent.'),
          showIf: { question: 'owner', op: 'equals', value: 'no' },
          multiline: false,
          minLength: 2,
          maxLength: 200,
          pattern: null,
        }),
      ],
    },
    {
      code: 'work',
      title: b('Les travaux', 'The work'),
      intro: none,
      showIf: null,
      questions: [
        q({
          code: 'work_type',
          kind: 'single',
          label: b('Type de travaux', 'Kind of work'),
          options: [
            { value: 'interior', label: b('Rénovation intérieure (murs, plomberie, électricité)', 'Interior renovation (walls, plumbing, wiring)') },
            { value: 'exterior', label: b('Revêtement extérieur, fenêtres ou portes', 'Siding, windows or doors') },
            { value: 'roof', label: b('Toiture', 'Roof') },
            { value: 'extension', label: b('Agrandissement', 'Extension') },
          ],
        }),
        q({
          code: 'area',
          kind: 'number',
          label: b('Superficie visée par les travaux', 'Floor area of the work'),
          help: b('Les frais sont calculés sur cette superficie.', 'The fee is based on this area.'),
          min: 1,
          max: 5000,
          integer: false,
          unit: b('m²', 'm²'),
        }),
        q({ code: 'start', kind: 'date', label: b('Date prévue du début des travaux', 'Planned start of the work'), minDaysFromToday: 0, maxDaysFromToday: 365 }),
        q({ code: 'cost', kind: 'number', label: b('Coût estimé des travaux', 'Estimated cost of the work'), min: 0, max: 10_000_000, integer: true, unit: b('$', '$') }),
        q({ code: 'description', kind: 'text', label: b('Décrivez les travaux', 'Describe the work'), multiline: true, minLength: 20, maxLength: 2000, pattern: null }),
      ],
    },
    {
      code: 'plans',
      title: b('Plans et photos', 'Plans and photos'),
      intro: none,
      showIf: null,
      questions: [
        q({
          code: 'plan',
          kind: 'file',
          label: b('Plan des travaux', 'Plan of the work'),
          help: b('Un plan à l’échelle ou un croquis coté suffit pour de petits travaux.', 'A scale drawing, or a sketch with measurements for small work.'),
          accept: ['pdf', 'jpeg', 'png'],
          maxBytes: 10 * 1024 * 1024,
          maxFiles: 3,
        }),
        q({
          code: 'photos',
          kind: 'file',
          label: b('Photos de l’état actuel', 'Photos of the building as it is'),
          required: false,
          showIf: { question: 'work_type', op: 'notEquals', value: 'interior' },
          accept: ['jpeg', 'png', 'webp'],
          maxBytes: 8 * 1024 * 1024,
          maxFiles: 5,
        }),
      ],
    },
  ],
  documents: [
    { label: b('Un plan ou un croquis coté des travaux', 'A plan or a sketch with measurements of the work'), question: 'plan' },
    { label: b('Des photos de l’état actuel (travaux extérieurs)', 'Photos of the building as it is (exterior work)'), question: 'photos' },
  ],
  fee: { kind: 'perUnit', question: 'area', baseCents: 5000, centsPerUnit: 250, minCents: 7500, maxCents: 150_000 },
  steps: [
    { code: 'complete', label: b('Demande complète', 'Application complete') },
    { code: 'zoning', label: b('Conformité au règlement de zonage', 'Zoning by-law check') },
    { code: 'decision', label: b('Décision', 'Decision') },
  ],
  targetDays: 30,
};

export const DOG_LICENCE: FormDefinition = {
  pages: [
    {
      code: 'dog',
      title: b('Votre chien', 'Your dog'),
      intro: b('La licence est valide un an et se renouvelle chaque année.', 'The licence is valid for a year and is renewed every year.'),
      showIf: null,
      questions: [
        q({ code: 'dog_name', kind: 'text', label: b('Nom du chien', 'Dog’s name'), multiline: false, minLength: 1, maxLength: 60, pattern: null }),
        q({ code: 'breed', kind: 'text', label: b('Race ou croisement', 'Breed or mix'), multiline: false, minLength: 2, maxLength: 100, pattern: null }),
        q({ code: 'birth_year', kind: 'number', label: b('Année de naissance', 'Year of birth'), min: 1995, max: 2100, integer: true, unit: null }),
        q({
          code: 'sex',
          kind: 'single',
          label: b('Sexe', 'Sex'),
          options: [
            { value: 'female', label: b('Femelle', 'Female') },
            { value: 'male', label: b('Mâle', 'Male') },
          ],
        }),
        q({ code: 'sterilized', kind: 'yesno', label: b('Le chien est-il stérilisé?', 'Is the dog spayed or neutered?') }),
        q({ code: 'vaccinated', kind: 'yesno', label: b('Le vaccin contre la rage est-il à jour?', 'Is the rabies vaccine up to date?') }),
      ],
    },
    {
      code: 'proof',
      title: b('Preuve de vaccination', 'Proof of vaccination'),
      intro: none,
      showIf: { question: 'vaccinated', op: 'equals', value: 'yes' },
      questions: [
        q({ code: 'vaccine_proof', kind: 'file', label: b('Certificat du vétérinaire', 'Veterinarian’s certificate'), accept: ['pdf', 'jpeg', 'png'], maxBytes: 5 * 1024 * 1024, maxFiles: 1 }),
      ],
    },
  ],
  documents: [{ label: b('Le certificat de vaccination contre la rage', 'The rabies vaccination certificate'), question: 'vaccine_proof' }],
  fee: { kind: 'fixed', cents: 3500 },
  steps: [{ code: 'check', label: b('Vérification', 'Check') }],
  targetDays: 10,
};

export const TELEWORKERS: FormDefinition = {
  pages: [
    {
      code: 'eligibility',
      title: b('Admissibilité', 'Eligibility'),
      intro: b(
        'Le programme aide les personnes qui travaillent à distance pour un employeur ou des clients situés hors de la région à s’installer chez nous.',
        'The program helps people who work remotely for an employer or clients outside the region to settle here.',
      ),
      showIf: null,
      questions: [
        q({
          code: 'work_situation',
          kind: 'single',
          label: b('Votre situation de travail', 'Your work situation'),
          options: [
            { value: 'remote_employee', label: b('Employé à distance d’un employeur situé hors de la région', 'Remote employee of an employer outside the region') },
            { value: 'self_employed', label: b('Travailleur autonome dont les clients sont surtout hors de la région', 'Self-employed, with clients mostly outside the region') },
            { value: 'other', label: b('Autre situation', 'Something else') },
          ],
        }),
        q({ code: 'move_date', kind: 'date', label: b('Date prévue de votre déménagement', 'Planned moving date'), help: b('Dans les six prochains mois.', 'Within the next six months.'), minDaysFromToday: 0, maxDaysFromToday: 183 }),
        q({ code: 'age', kind: 'number', label: b('Votre âge', 'Your age'), help: b('Le programme s’adresse aux 18 ans et plus.', 'The program is for people aged 18 or over.'), min: 18, max: 120, integer: true, unit: b('ans', 'years') }),
      ],
    },
    {
      code: 'employment',
      title: b('Votre emploi', 'Your work'),
      intro: none,
      showIf: { question: 'work_situation', op: 'notEquals', value: 'other' },
      questions: [
        q({ code: 'employer', kind: 'text', label: b('Employeur ou principal client', 'Employer or main client'), multiline: false, minLength: 2, maxLength: 200, pattern: null }),
        q({ code: 'employer_city', kind: 'text', label: b('Ville où il est situé', 'City where it is located'), multiline: false, minLength: 2, maxLength: 100, pattern: null }),
        q({
          code: 'employment_proof',
          kind: 'file',
          label: b('Preuve d’emploi ou de contrats', 'Proof of employment or contracts'),
          help: b('Une lettre de l’employeur confirmant le télétravail, ou des contrats récents.', 'A letter from the employer confirming remote work, or recent contracts.'),
          accept: ['pdf', 'jpeg', 'png'],
          maxBytes: 10 * 1024 * 1024,
          maxFiles: 3,
        }),
      ],
    },
    {
      code: 'household',
      title: b('Votre ménage', 'Your household'),
      intro: none,
      showIf: null,
      questions: [
        q({ code: 'household_size', kind: 'number', label: b('Nombre de personnes qui déménagent', 'Number of people moving'), min: 1, max: 15, integer: true, unit: null }),
        q({ code: 'phone', kind: 'text', label: b('Téléphone pour planifier l’entrevue', 'Phone number to schedule the interview'), multiline: false, minLength: null, maxLength: 30, pattern: 'phone' }),
      ],
    },
  ],
  documents: [{ label: b('Une preuve d’emploi à distance ou des contrats récents', 'Proof of remote employment or recent contracts'), question: 'employment_proof' }],
  fee: { kind: 'none' },
  steps: [
    { code: 'eligibility', label: b('Admissibilité', 'Eligibility') },
    { code: 'interview', label: b('Entrevue', 'Interview') },
    { code: 'decision', label: b('Décision', 'Decision') },
  ],
  targetDays: 45,
};

export const RENOVATION_PRECHECK: PrecheckDefinition = {
  intro: b('Trois questions au plus pour savoir si vos travaux demandent un permis.', 'At most three questions to know whether your work needs a permit.'),
  questions: [
    {
      code: 'work_kind',
      label: b('Quels travaux prévoyez-vous?', 'What work are you planning?'),
      help: none,
      choices: [
        { value: 'cosmetic', label: b('Peinture, couvre-plancher, armoires', 'Painting, flooring, cabinets'), next: 'no_permit' },
        { value: 'renovation', label: b('Murs, plomberie, électricité, fenêtres, toiture', 'Walls, plumbing, wiring, windows, roof'), next: 'heritage' },
        { value: 'extension', label: b('Agrandissement ou nouveau bâtiment', 'Extension or a new building'), next: 'permit' },
      ],
    },
    {
      code: 'heritage',
      label: b('L’immeuble est-il dans le site patrimonial du vieux village?', 'Is the building in the old village heritage site?'),
      help: b('La carte du site patrimonial est à l’hôtel de ville.', 'The heritage site map is at the town hall.'),
      choices: [
        { value: 'yes', label: b('Oui', 'Yes'), next: 'call_us' },
        { value: 'no', label: b('Non', 'No'), next: 'permit' },
        { value: 'unsure', label: b('Je ne sais pas', 'I don’t know'), next: 'call_us' },
      ],
    },
  ],
  outcomes: [
    { code: 'no_permit', title: b('Aucun permis requis', 'No permit needed'), body: b('Ces travaux ne demandent pas de permis. Respectez tout de même le règlement sur les nuisances (bruit, heures de travail).', 'This work needs no permit. The nuisance by-law (noise, working hours) still applies.'), service: null },
    { code: 'permit', title: b('Un permis est requis', 'A permit is needed'), body: b('Faites votre demande de permis de rénovation en ligne. Ayez vos plans sous la main.', 'Apply online for a renovation permit. Have your plans at hand.'), service: 'permis-renovation' },
    { code: 'call_us', title: b('Parlons-en d’abord', 'Let’s talk first'), body: b('Les travaux dans le site patrimonial sont étudiés par le comité consultatif d’urbanisme. Appelez le service de l’urbanisme avant de faire votre demande.', 'Work in the heritage site is reviewed by the planning advisory committee. Call the planning department before you apply.'), service: 'permis-renovation' },
  ],
};

export async function seedApplicationsDemo(db: Database, tenant: Tenant): Promise<void> {
  await seedPublishedService(
    db,
    tenant.id,
    { slug: 'permis-renovation', kind: 'permit', name: b('Permis de rénovation résidentielle', 'Residential renovation permit'), summary: b('Pour rénover, agrandir ou refaire la toiture d’une résidence.', 'To renovate, extend or re-roof a home.'), departmentId: null, targetDays: RENOVATION.targetDays, active: true },
    RENOVATION,
  );
  await seedPublishedService(
    db,
    tenant.id,
    { slug: 'licence-chien', kind: 'licence', name: b('Licence pour chien', 'Dog licence'), summary: b('Obligatoire pour chaque chien gardé dans la municipalité; à renouveler chaque année.', 'Required for every dog kept in the town; renewed every year.'), departmentId: null, targetDays: DOG_LICENCE.targetDays, active: true },
    DOG_LICENCE,
  );
  await seedPublishedService(
    db,
    tenant.id,
    { slug: 'programme-teletravailleurs', kind: 'program', name: b('Programme d’accueil des télétravailleurs', 'Teleworker relocation program'), summary: b('Une aide à l’installation pour les personnes qui s’établissent ici et travaillent à distance.', 'Help to settle for people who move here and work remotely.'), departmentId: null, targetDays: TELEWORKERS.targetDays, active: true },
    TELEWORKERS,
  );
  await seedPrecheck(db, tenant.id, { slug: 'permis-renovation-requis', title: b('Ai-je besoin d’un permis de rénovation?', 'Do I need a renovation permit?'), definition: RENOVATION_PRECHECK });
}

DEMO_STEPS.push(seedApplicationsDemo);
